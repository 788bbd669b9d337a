using System.Text.Json;
using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Training.Reports;

namespace Obscura.Training.Auditing;

/// <summary>
/// The shadow models of the offline LiRA attack on a run: each is trained with the run's exact
/// configuration (recipe, hyperparameters, privacy settings) but another seed and no canaries, on
/// the run's real training data, so every shadow is OUT for every canary. Shadow K lives in
/// <c>runs/NAME/shadows/shadow-K/</c>, itself a run folder, with shadow.json recording the hash
/// of the data it was trained on. A shadow found there is reused only when its config is the one
/// asked for, its data hash matches and it finished its planned steps; an unfinished one is
/// resumed; any other one is refused, never silently replaced.
/// </summary>
/// <remarks>
/// Shadows of a private run are private runs themselves, with their own ledgers, but they are
/// extra models of the same private data: the run's ε does not cover releasing them.
/// </remarks>
public static class ShadowModels
{
    /// <summary>Shadow K trains with seed = run seed + <see cref="SeedOffset"/> + K.</summary>
    public const int SeedOffset = 1000;

    /// <summary>A trained (or reused) shadow model.</summary>
    public sealed record Shadow(int Index, string Path, bool Reused, double Seconds, Model Model);

    private sealed record Marker(int Index, string TargetRun, string DataHash);

    /// <summary>The configuration of shadow <paramref name="index"/> of a run configured as <paramref name="target"/>.</summary>
    public static TrainConfig ConfigFor(TrainConfig target, int index) =>
        target with { Canaries = 0, Seed = unchecked(target.Seed + SeedOffset + index) };

    /// <summary>The folder of shadow <paramref name="index"/> of <paramref name="run"/>.</summary>
    public static RunFolder FolderFor(RunFolder run, int index) => new(System.IO.Path.Combine(run.ShadowsDir, $"shadow-{index}"));

    /// <summary>
    /// Shadow <paramref name="index"/> of <paramref name="run"/>, trained on <paramref name="real"/>
    /// (the run's training data without canaries) unless a finished, matching one is on disk.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds a shadow of another config or data.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the shadow's checkpoint is kept and resumed next time.</exception>
    public static Shadow TrainOrReuse(RunFolder run, TrainConfig target, int index, ImageDataset real, ImageDataset evaluation,
        TrainerOptions options, IProgress<TrainProgress>? progress, CancellationToken cancel)
    {
        var config = ConfigFor(target, index);
        var folder = FolderFor(run, index);
        var markerFile = System.IO.Path.Combine(folder.Path, "shadow.json");
        if (folder.Exists)
        {
            var saved = folder.LoadConfig();
            if (saved != config)
            {
                throw new InvalidDataException($"{folder.Path}: this shadow was trained with another configuration than {run.Path} asks for now ({JsonSerializer.Serialize(saved, RunFolder.Json)}); delete the folder to train it again.");
            }
            var marker = File.Exists(markerFile) ? JsonSerializer.Deserialize<Marker>(File.ReadAllText(markerFile), RunFolder.Json) : null;
            if (marker is null || marker.DataHash != real.ContentHash || marker.Index != index)
            {
                throw new InvalidDataException($"{folder.Path}: this shadow was not trained on the run's training data (shadow.json missing or its data hash differs); delete the folder to train it again.");
            }
            if (Finished(folder, config, real.Count))
            {
                return new Shadow(index, folder.Path, true, 0, RunAnalysis.LoadModel(folder, config, real));
            }
        }
        else
        {
            folder.Create();
            RunFolder.WriteAtomically(markerFile, JsonSerializer.Serialize(new Marker(index, run.Path, real.ContentHash), RunFolder.Json));
            folder.SaveConfig(config);
        }
        var result = new Trainer(config, folder, real, evaluation, options).Run(progress, cancel);
        cancel.ThrowIfCancellationRequested();
        return new Shadow(index, folder.Path, false, result.Seconds, RunAnalysis.LoadModel(folder, config, real));
    }

    private static bool Finished(RunFolder folder, TrainConfig config, int datasetSize)
    {
        if (!File.Exists(folder.ResultFile) || !File.Exists(folder.WeightsFile))
        {
            return false;
        }
        try
        {
            var result = JsonSerializer.Deserialize<TrainResult>(File.ReadAllText(folder.ResultFile), RunFolder.Json);
            return result is not null && result.Steps == Trainer.PlannedSteps(config, datasetSize);
        }
        catch (JsonException)
        {
            return false; // resuming rewrites it
        }
    }
}
