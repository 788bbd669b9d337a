using System.Text.Json;
using Obscura.Nn.Models;
using Obscura.Training.Reports;

namespace Obscura.Training.Auditing;

/// <summary>
/// The shadow models of the offline LiRA attack on a run: each is trained with the run's exact
/// configuration (recipe, hyperparameters, privacy settings, number and kind of canaries) but
/// another seed, on the run's real training data plus its own decoy canaries
/// (<see cref="CanarySet.DrawDecoys"/>) instead of the run's, so every shadow is OUT for every
/// audited canary while seeing the same kind and amount of odd examples as the run. Shadow K lives
/// in <c>runs/NAME/shadows/shadow-K/</c>, itself a run folder (its canaries.json holds the decoys),
/// with shadow.json recording the hash of the real data. A shadow found there is reused only when
/// its config, decoys and data hash are the ones asked for and it finished its planned steps; an
/// unfinished one is resumed; any other one is refused, never silently replaced.
/// </summary>
/// <remarks>
/// <para>Why decoys: a model trained with ~M/2 mislabelled examples is less confident on every
/// wrong label than one trained without. Shadows without any canary measured a clean model's OUT
/// confidences, and the target's were higher for members and non-members alike, more so the more
/// confident the clean model was (docs/auditing.md has the figures).</para>
/// <para>Shadows of a private run are private runs themselves, with their own ledgers, but they
/// are extra models of the same private data: the run's ε does not cover releasing them.</para>
/// </remarks>
public static class ShadowModels
{
    /// <summary>Shadow K trains with seed = run seed + <see cref="SeedOffset"/> + K.</summary>
    public const int SeedOffset = 1000;

    /// <summary>A trained (or reused) shadow model.</summary>
    public sealed record Shadow(int Index, string Path, bool Reused, double Seconds, Model Model);

    private sealed record Marker(int Index, string TargetRun, string DataHash);

    /// <summary>The configuration of shadow <paramref name="index"/> of a run configured as <paramref name="target"/>: another seed, nothing else.</summary>
    public static TrainConfig ConfigFor(TrainConfig target, int index) =>
        target with { Seed = unchecked(target.Seed + SeedOffset + index) };

    /// <summary>The folder of shadow <paramref name="index"/> of <paramref name="run"/>.</summary>
    public static RunFolder FolderFor(RunFolder run, int index) => new(System.IO.Path.Combine(run.ShadowsDir, $"shadow-{index}"));

    /// <summary>
    /// Shadow <paramref name="index"/> of <paramref name="run"/>, trained on the real part of
    /// <paramref name="target"/> (the run's data) with decoys in place of its canaries, unless a
    /// finished, matching one is on disk.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds a shadow of another config, data or decoys.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the shadow's checkpoint is kept and resumed next time.</exception>
    public static Shadow TrainOrReuse(RunFolder run, TrainConfig targetConfig, int index, TrainingSet target,
        TrainerOptions options, IProgress<TrainProgress>? progress, CancellationToken cancel)
    {
        var config = ConfigFor(targetConfig, index);
        var decoys = target.Canaries is { } audited ? CanarySet.DrawDecoys(audited, config.Seed, target.RealImages) : null;
        var data = target.WithCanaries(config, decoys);
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
            if (marker is null || marker.DataHash != target.Real.ContentHash || marker.Index != index)
            {
                throw new InvalidDataException($"{folder.Path}: this shadow was not trained on the run's training data (shadow.json missing or its data hash differs); delete the folder to train it again.");
            }
            var savedDecoys = File.Exists(folder.CanariesFile) ? CanarySet.Load(folder.CanariesFile) : null;
            if (decoys is not null && savedDecoys?.Canaries.SequenceEqual(decoys.Canaries) != true)
            {
                throw new InvalidDataException($"{folder.CanariesFile}: this shadow's decoy canaries are not the ones drawn for it now; delete the folder to train it again.");
            }
            if (Finished(folder, config, data.Train.Count))
            {
                return new Shadow(index, folder.Path, true, 0, RunAnalysis.LoadModel(folder, config, data.Real));
            }
        }
        else
        {
            folder.Create();
            RunFolder.WriteAtomically(markerFile, JsonSerializer.Serialize(new Marker(index, run.Path, target.Real.ContentHash), RunFolder.Json));
            decoys?.Save(folder.CanariesFile);
            folder.SaveConfig(config);
        }
        var result = new Trainer(config, folder, data.Train, data.Evaluation, options).Run(progress, cancel);
        cancel.ThrowIfCancellationRequested();
        return new Shadow(index, folder.Path, false, result.Seconds, RunAnalysis.LoadModel(folder, config, data.Real));
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
