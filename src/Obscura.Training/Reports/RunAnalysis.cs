using System.Text.Json;
using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Nn.Serialization;
using Obscura.Privacy;
using Obscura.Privacy.Auditing;
using Obscura.Privacy.Ledger;
using Obscura.Privacy.Randomness;
using Obscura.Training.Auditing;

namespace Obscura.Training.Reports;

/// <summary>
/// Everything the evaluate, audit and report commands show about one finished run: accuracy per
/// class and group, the confusion matrix, the training curves, what privacy was spent, the
/// membership-inference attack, the reconstruction bound, and the canary audit if one was run.
/// </summary>
public sealed record RunAnalysis(
    string Name,
    string Path,
    TrainConfig Config,
    TrainResult? Result,
    string Model,
    long Parameters,
    IReadOnlyList<string> ClassNames,
    Predictions Test,
    FairnessSummary ByClass,
    FairnessSummary? ByGroup,
    IReadOnlyList<MetricsRow> Metrics,
    PrivacySpent? Privacy,
    MembershipInferenceResult? Mia)
{
    public bool Private => Config.IsPrivate;

    /// <summary>The one-run audit saved by <c>obscura audit RUN</c> (audit.json), when there is one.</summary>
    public RunAudit.Result? Audit { get; init; }

    /// <summary>
    /// Loads the run's saved weights and analyses them on <paramref name="test"/> (never trained on)
    /// and, for membership inference, <paramref name="train"/> (the examples it was trained on: the members).
    /// </summary>
    /// <exception cref="ArgumentException">Membership inference is asked for without training data.</exception>
    /// <exception cref="FileNotFoundException">No config.json or no model.safetensors.</exception>
    /// <exception cref="InvalidDataException">A run file is malformed, or a private run has no ledger.</exception>
    public static RunAnalysis Analyse(RunFolder run, ImageDataset? train, ImageDataset test, AnalysisOptions? options = null)
    {
        options ??= new AnalysisOptions();
        var config = run.LoadConfig();
        var model = LoadModel(run, config, test);
        var predictions = Predictions.Compute(model, test, averageViews: config.AverageViews);
        var classNames = test.ClassNames ?? (test.ClassCount == FashionMnist.ClassCount ? FashionMnist.ClassNames
            : Enumerable.Range(0, test.ClassCount).Select(c => $"class {c}").ToArray());
        var byClass = Fairness.ByClass(predictions.Labels, predictions.Predicted, classNames);
        var byGroup = options.Groups is { } groups ? Fairness.ByGroup(predictions.Labels, predictions.Predicted, groups) : null;
        var mia = options.MembershipInference ? MembershipInference.Run(model, train ?? throw new ArgumentException("Membership inference needs the training data."), test, options.MiaCount, options.Seed, predictions, config.AverageViews) : null;
        return new RunAnalysis(System.IO.Path.GetFileName(run.Path), run.Path, config, run.TryLoadResult(), model.Name, model.ParameterCount,
            classNames, predictions, byClass, byGroup, MetricsRow.ReadAll(run.MetricsFile),
            config.IsPrivate ? Spent(run, options) : null, mia)
        {
            Audit = RunAudit.TryLoad(run),
        };
    }

    /// <summary>Builds the run's model and loads its saved weights.</summary>
    public static Model LoadModel(RunFolder run, TrainConfig config, ImageDataset data)
    {
        if (!File.Exists(run.WeightsFile))
        {
            throw new FileNotFoundException($"{run.WeightsFile}: the run has no saved weights yet (is it still training? continue it with obscura train --resume {run.Path}).");
        }
        var model = Trainer.BuildModel(config.Model, data);
        try
        {
            SafeTensors.LoadParameters(run.WeightsFile, model.Root);
        }
        catch (InvalidDataException e) when (File.Exists(run.DataFile))
        {
            var trained = run.LoadDataDescription();
            throw new InvalidDataException($"{e.Message} The run was trained on {string.Join("×", trained.ItemShape)} images in {trained.ClassNames.Length} classes (its data.json); "
                + $"these data give the model inputs of {string.Join("×", data.ItemShape)} in {data.ClassCount} classes.", e);
        }
        return model;
    }

    /// <summary>The privacy a run's ledger records (see <see cref="PrivacySpent"/>).</summary>
    public static PrivacySpent Spent(RunFolder run, AnalysisOptions options)
    {
        if (!File.Exists(run.LedgerFile))
        {
            throw new InvalidDataException($"{run.LedgerFile}: a private run must have a privacy ledger, and this one has none.");
        }
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        if (ledger.Count == 0)
        {
            throw new InvalidDataException($"{run.LedgerFile}: the ledger records no steps yet.");
        }
        var last = ledger.Entries[^1];
        var groups = ledger.Summarise();
        var q = groups.Max(g => g.SamplingRate);
        var sigma = groups.Min(g => g.NoiseMultiplier);
        var steps = ledger.Count;
        var delta = last.Delta;
        var epsilon = LedgerAccounting.Epsilon(ledger, delta, AccountantKind.Pld);
        var epsilonRdp = LedgerAccounting.Epsilon(ledger, delta, AccountantKind.Rdp);
        var curve = options.EpsilonPoints > 0 ? EpsilonCurve.Compute(ledger, delta, options.EpsilonPoints) : [];
        var bounds = new List<ReconstructionBound>();
        if (options.Reconstruction)
        {
            var samples = options.ReconstructionSamples ?? (int)Math.Clamp(2e7 / steps, 1000, 20000);
            foreach (var prior in AnalysisOptions.Priors)
            {
                var random = new SeededRandomSource((ulong)options.Seed * 7919 + (ulong)Math.Round(1 / prior));
                bounds.Add(ReconstructionRisk.Estimate(q, sigma, steps, prior, samples, random));
            }
        }
        return new PrivacySpent(q, sigma, steps, last.ClipNorm, last.DatasetSize, delta, epsilon, epsilonRdp, groups.Count, curve, bounds);
    }
}
