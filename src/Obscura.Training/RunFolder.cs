using System.Text.Json;
using System.Text.Json.Serialization;
using Obscura.Privacy.Ledger;

namespace Obscura.Training;

/// <summary>
/// The files of one run, <c>runs/NAME/</c>: config.json (the resolved config), ledger.json (the
/// privacy ledger, private runs), checkpoints/step-N/ with <c>latest</c> naming the newest complete
/// one, metrics.csv, and result.json; with canaries, canaries.json (the coins, written before
/// training starts), and after <c>obscura audit</c>, audit.json and shadows/shadow-K/ (the LiRA
/// shadow models, run folders themselves). Every file is written to a temporary name and renamed.
/// </summary>
public sealed class RunFolder(string path)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string LedgerFile => System.IO.Path.Combine(Path, "ledger.json");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.csv");
    public string ResultFile => System.IO.Path.Combine(Path, "result.json");
    public string CheckpointsDir => System.IO.Path.Combine(Path, "checkpoints");
    public string LatestFile => System.IO.Path.Combine(CheckpointsDir, "latest");
    public string WeightsFile => System.IO.Path.Combine(Path, "model.safetensors");
    public string CanariesFile => System.IO.Path.Combine(Path, "canaries.json");
    public string DataFile => System.IO.Path.Combine(Path, "data.json");
    public string AuditFile => System.IO.Path.Combine(Path, "audit.json");
    public string ShadowsDir => System.IO.Path.Combine(Path, "shadows");

    public bool Exists => File.Exists(ConfigFile);

    public void Create() => Directory.CreateDirectory(Path);

    public void SaveConfig(TrainConfig config) => WriteAtomically(ConfigFile, JsonSerializer.Serialize(config, Json));

    public TrainConfig LoadConfig()
    {
        if (!File.Exists(ConfigFile))
        {
            throw new FileNotFoundException($"{ConfigFile}: not a run folder (no config.json). Train one with: obscura train --out {Path}");
        }
        var config = ReadJson<TrainConfig>(ConfigFile, "run config");
        FeatureFrontEnd.RequireCurrentFeatures(config, ConfigFile);
        return config;
    }

    /// <summary>Reads one of a run's JSON files as <typeparamref name="T"/>.</summary>
    /// <param name="what">What the file holds, for the message ("run config").</param>
    /// <exception cref="InvalidDataException">The file is empty or not valid JSON for <typeparamref name="T"/>; the message names the file.</exception>
    public static T ReadJson<T>(string file, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), Json)
                ?? throw new InvalidDataException($"{file}: empty {what}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not a valid {what}: {e.Message}");
        }
    }

    public void SaveDataDescription(DataDescription data) => WriteAtomically(DataFile, JsonSerializer.Serialize(data, Json));

    /// <summary>The saved data.json, or the Fashion-MNIST description for runs older than it.</summary>
    public DataDescription LoadDataDescription() =>
        File.Exists(DataFile) ? ReadJson<DataDescription>(DataFile, "data description") : DataDescription.FashionMnistDefault;

    public void SaveResult(TrainResult result) => WriteAtomically(ResultFile, JsonSerializer.Serialize(result, Json));

    /// <summary>The saved result.json, or null when the run has none yet.</summary>
    public TrainResult? TryLoadResult() => File.Exists(ResultFile) ? ReadJson<TrainResult>(ResultFile, "run result") : null;

    /// <summary>The newest complete checkpoint directory, or null when there is none.</summary>
    public string? LatestCheckpoint()
    {
        if (!File.Exists(LatestFile))
        {
            return null;
        }
        var name = File.ReadAllText(LatestFile).Trim();
        var dir = System.IO.Path.Combine(CheckpointsDir, name);
        return Directory.Exists(dir) ? dir : throw new InvalidDataException($"{LatestFile} names {name}, which does not exist.");
    }

    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="file"/>, flushes it to disk, then renames it over <paramref name="file"/>.</summary>
    public static void WriteAtomically(string file, string text) =>
        WriteAtomically(file, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Atomic write through a stream callback: the ledger's <see cref="AtomicFile"/> discipline.</summary>
    public static void WriteAtomically(string file, Action<Stream> write) => AtomicFile.Write(file, write);
}
