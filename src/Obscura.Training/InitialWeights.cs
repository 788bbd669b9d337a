using System.Security.Cryptography;
using Obscura.Nn.Models;
using Obscura.Nn.Serialization;

namespace Obscura.Training;

/// <summary>
/// The weights a fine-tuning run starts from: a safetensors file (or a run folder's
/// model.safetensors) and its SHA-256, recorded in config.json so that a resumed run starts from
/// the same bytes. The run's guarantee covers the examples it trains on and treats these weights
/// as public, so they must not have been trained on those examples: weights saved by an Obscura
/// run on the same data folder are refused.
/// </summary>
/// <param name="File">Full path of the safetensors file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file when the run started.</param>
/// <param name="NewHead">Leave the last layer (the classifier head) at its random initialisation, e.g. for another set of classes.</param>
public sealed record InitialWeights(string File, string Sha256, bool NewHead = false)
{
    /// <summary>
    /// Resolves <paramref name="path"/> (a .safetensors file or a run folder) for a run on
    /// <paramref name="dataDir"/>, refusing weights an Obscura run trained on that same folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">No weights at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The weights were trained on <paramref name="dataDir"/>.</exception>
    public static InitialWeights Resolve(string path, string dataDir, bool newHead = false)
    {
        var isFolder = Directory.Exists(path);
        var file = isFolder ? new RunFolder(path).WeightsFile : Path.GetFullPath(path);
        if (!System.IO.File.Exists(file))
        {
            throw new FileNotFoundException(isFolder
                ? $"--init-from {path}: the folder has no model.safetensors (a finished run saves one)."
                : $"--init-from {path}: no such file.");
        }
        if (EarlierTraining(file).Select((source, depth) => (source.Run, source.Config, depth)).FirstOrDefault(s => SameFolder(s.Config.DataDir, dataDir)) is var (run, config, depth) && run is not null)
        {
            var how = config.IsPrivate ? "privately" : "without privacy";
            var what = depth == 0 ? "these weights were trained" : "these weights descend from a run whose starting weights were trained";
            throw new ArgumentException(
                $"--init-from {path}: {what} {how} on {config.DataDir} (run {run.Path}), the data this run trains on. "
                + "A fine-tuning run's guarantee treats its initial weights as public, so it would not cover what they already learned from these examples. "
                + "Start from weights trained on other data, or continue that run with obscura train --resume.");
        }
        return new InitialWeights(file, Hash(file), newHead);
    }

    /// <summary>
    /// Loads the file into <paramref name="model"/> (every parameter by name and shape, all but the
    /// head's with <see cref="NewHead"/>), after checking the file is the one the run started from.
    /// Returns the file's tensors that the model did not use.
    /// </summary>
    /// <exception cref="InvalidDataException">The file changed since the run started, or lacks a parameter or has one of another shape.</exception>
    public IReadOnlyList<string> LoadInto(Model model)
    {
        if (!System.IO.File.Exists(File))
        {
            throw new FileNotFoundException($"{File}: the initial weights of this run are gone; it has no checkpoint yet to resume from instead.");
        }
        var actual = Hash(File);
        if (actual != Sha256)
        {
            throw new InvalidDataException($"{File}: its SHA-256 is {actual}, but the run started from a file with {Sha256}; the initial weights have changed.");
        }
        var head = model.LayerNames[^1] + ".";
        try
        {
            return SafeTensors.LoadParameters(File, model.Root, NewHead ? p => !p.Name.StartsWith(head, StringComparison.Ordinal) : null);
        }
        catch (InvalidDataException e) when (!NewHead && e.Message.Contains($"'{head}", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{e.Message} For a head of another shape (another set of classes), add --new-head to keep the head's random initialisation.", e);
        }
    }

    private static string Hash(string file)
    {
        using var stream = System.IO.File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // Every Obscura run behind the file: the run whose folder holds it, the run whose weights that run
    // started from, and so on back (a fine-tuning chain), each visited once.
    private static IEnumerable<(RunFolder Run, TrainConfig Config)> EarlierTraining(string file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var next = file; next is not null && seen.Add(RealPath(next));)
        {
            if (TrainedBy(next) is not { } source)
            {
                yield break;
            }
            yield return source;
            next = source.Config.InitialWeights?.File;
        }
    }

    // The Obscura run (if any) whose folder holds the file, directly or in a checkpoint below it.
    private static (RunFolder Run, TrainConfig Config)? TrainedBy(string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var run = new RunFolder(dir);
            if (run.Exists)
            {
                return (run, run.LoadConfig());
            }
        }
        return null;
    }

    private static bool SameFolder(string a, string b) => string.Equals(RealPath(a), RealPath(b), StringComparison.Ordinal);

    // The absolute path with every symbolic link along it followed, so a link to a folder is that folder.
    private static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.GetPathRoot(full) ?? "";
        var result = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(result, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            result = entry.Exists && entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? RealPath(target.FullName)
                : next;
        }
        return result;
    }
}
