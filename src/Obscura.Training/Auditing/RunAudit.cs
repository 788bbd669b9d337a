using System.Diagnostics;
using System.Text.Json;
using Obscura.Privacy;
using Obscura.Privacy.Ledger;
using Obscura.Training.Reports;

namespace Obscura.Training.Auditing;

/// <summary>
/// The one-run audit of a trained run with canaries (DESIGN.md §6; Steinke, Nasr and Jagielski
/// 2023): every canary is scored by the trained model, the fixed numbers of highest and lowest
/// scores are guessed in and out, and the correct guesses give an ε lower bound at the stated
/// confidence, next to the ε the run's ledger accounts for. Two scores: the loss score −ℓ, and
/// with S ≥ 2 shadow models the offline LiRA statistic (<see cref="OfflineLira"/>). The result
/// is saved as audit.json in the run folder (the report shows it).
/// </summary>
public static class RunAudit
{
    /// <summary>δ of the bound for a non-private run, which has no δ of its own.</summary>
    public const double DefaultNonPrivateDelta = 1e-5;

    /// <summary>How to audit.</summary>
    /// <param name="Guesses">r, guesses in all (half in, half out); null: <see cref="CanaryAttack.DefaultGuesses"/>.</param>
    /// <param name="Shadows">S shadow models for LiRA; 0 skips LiRA, otherwise at least 2.</param>
    /// <param name="Confidence">Confidence of the lower bound.</param>
    /// <param name="NonPrivateDelta">δ used for a non-private run (a private run uses its own).</param>
    /// <param name="DataDir">Data folder instead of the run's.</param>
    public sealed record Options(int? Guesses = null, int Shadows = 0, double Confidence = 0.95,
        double NonPrivateDelta = DefaultNonPrivateDelta, string? DataDir = null);

    /// <summary>The audit's figures, as saved in audit.json.</summary>
    /// <param name="AccountedEpsilon">ε of the run's ledger (PLD) at <paramref name="Delta"/>; null for a non-private run.</param>
    /// <param name="RealExamples">Real training examples (N = RealExamples + Loss.Members).</param>
    /// <param name="Lira">The LiRA score's attack; null without shadows.</param>
    /// <param name="ShadowSeconds">Training time of the shadows trained now (reused ones cost nothing).</param>
    public sealed record Result(string Run, bool Private, double? AccountedEpsilon, double Delta, CanaryKind Kind, int RealExamples,
        CanaryAttack Loss, CanaryAttack? Lira, int Shadows, int ShadowsReused, double ShadowSeconds, double Seconds);

    /// <summary>Audits <paramref name="run"/>; reports shadow training through <paramref name="shadowProgress"/> (given the shadow index).</summary>
    /// <exception cref="InvalidDataException">The run has no canaries, or its files are inconsistent.</exception>
    /// <exception cref="ArgumentException">Bad options.</exception>
    public static Result Run(RunFolder run, Options options, TrainerOptions? trainerOptions = null, Action<string>? log = null,
        Func<int, IProgress<TrainProgress>?>? shadowProgress = null, CancellationToken cancel = default)
    {
        var config = run.LoadConfig();
        var recorded = LoadCanaries(run, config);
        var data = TrainingData.LoadForRun(config with { DataDir = options.DataDir ?? config.DataDir }, recorded, log);
        return Run(run, data, options, trainerOptions, log, shadowProgress, cancel);
    }

    /// <summary>
    /// <see cref="Run(RunFolder, Options, TrainerOptions?, Action{string}?, Func{int, IProgress{TrainProgress}?}?, CancellationToken)"/>
    /// on data already loaded: <paramref name="data"/> must hold the canaries the run recorded.
    /// </summary>
    public static Result Run(RunFolder run, TrainingSet data, Options options, TrainerOptions? trainerOptions = null, Action<string>? log = null,
        Func<int, IProgress<TrainProgress>?>? shadowProgress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var config = run.LoadConfig();
        var recorded = LoadCanaries(run, config);
        if (options.Shadows is < 0 or 1)
        {
            throw new ArgumentException($"--lira must be 0 or at least 2 shadow models (the OUT variance needs two), got {options.Shadows}.");
        }
        if (!(options.Confidence > 0 && options.Confidence < 1))
        {
            throw new ArgumentException($"--confidence must be in (0, 1), got {options.Confidence}.");
        }
        if (data.Canaries is not { } set || data.CanaryExamples is not { } canaries || !set.Canaries.SequenceEqual(recorded.Canaries))
        {
            throw new InvalidDataException($"{run.CanariesFile}: the data given to the audit do not hold the canaries the run recorded.");
        }
        var (accounted, delta) = Accounted(run, config, options.NonPrivateDelta);
        var guesses = options.Guesses ?? CanaryAttack.DefaultGuesses(recorded.Count);
        var included = recorded.Canaries.Select(c => c.Included).ToArray();

        var target = LogitScores.Compute(RunAnalysis.LoadModel(run, config, canaries), canaries);
        var loss = CanaryAttack.Evaluate("loss", target.Losses.Select(l => -l).ToArray(), included, guesses, delta, options.Confidence);

        CanaryAttack? lira = null;
        var reused = 0;
        double shadowSeconds = 0;
        if (options.Shadows > 0)
        {
            var confidences = new List<double[]>();
            for (var k = 0; k < options.Shadows; k++)
            {
                var shadow = ShadowModels.TrainOrReuse(run, config, k, data, trainerOptions ?? new TrainerOptions(),
                    shadowProgress?.Invoke(k), cancel);
                log?.Invoke(shadow.Reused ? $"shadow {k + 1}/{options.Shadows}: reused {shadow.Path}" : $"shadow {k + 1}/{options.Shadows}: trained in {shadow.Seconds:F0} s ({shadow.Path})");
                reused += shadow.Reused ? 1 : 0;
                shadowSeconds += shadow.Seconds;
                confidences.Add(LogitScores.Compute(shadow.Model, canaries).Confidences);
            }
            var statistics = OfflineLira.Fit(confidences).Statistics(target.Confidences);
            lira = CanaryAttack.Evaluate("lira", statistics, included, guesses, delta, options.Confidence);
        }
        var result = new Result(run.Path, config.IsPrivate, accounted, delta, recorded.Kind, data.Real.Count, loss, lira,
            options.Shadows, reused, shadowSeconds, clock.Elapsed.TotalSeconds);
        RunFolder.WriteAtomically(run.AuditFile, JsonSerializer.Serialize(result, RunFolder.Json));
        return result;
    }

    private static CanarySet LoadCanaries(RunFolder run, TrainConfig config)
    {
        if (config.Canaries == 0 || !File.Exists(run.CanariesFile))
        {
            throw new InvalidDataException($"{run.Path} has no canaries (no canaries.json), so the one-run audit has nothing to guess: train with obscura train --canaries M, or attack any run with obscura audit {run.Path} --mia.");
        }
        return CanarySet.Load(run.CanariesFile);
    }

    /// <summary>The audit saved in <paramref name="run"/>'s audit.json, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static Result? TryLoad(RunFolder run)
    {
        if (!File.Exists(run.AuditFile))
        {
            return null;
        }
        return RunFolder.ReadJson<Result>(run.AuditFile, "audit result");
    }

    private static (double? Epsilon, double Delta) Accounted(RunFolder run, TrainConfig config, double nonPrivateDelta)
    {
        if (!config.IsPrivate)
        {
            return (null, nonPrivateDelta);
        }
        if (!File.Exists(run.LedgerFile))
        {
            throw new InvalidDataException($"{run.LedgerFile}: a private run must have a privacy ledger, and this one has none.");
        }
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        var delta = ledger.Count > 0 ? ledger.Entries[^1].Delta : config.Privacy!.Delta;
        return (LedgerAccounting.Epsilon(ledger, delta, AccountantKind.Pld), delta);
    }
}
