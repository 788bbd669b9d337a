namespace Obscura.Training;

/// <summary>The outcome of <c>obscura train</c>; the JSON line's fields.</summary>
/// <param name="Steps">Steps taken so far (for a private run, the steps its ledger records).</param>
/// <param name="NoiseMultiplier">The σ the accountant used (the nominal σ lowered by the secure sampler's grid rounding, docs/noise.md), so ε can be recomputed from these fields.</param>
/// <param name="EvaluatedOn">The held-out set <paramref name="TestAccuracy"/> was measured on (null in results saved before it was recorded): the test set, or the validation split carved from the training set when <c>--validation-size</c> is set.</param>
/// <param name="Completed">False when the run was interrupted before its planned steps; resume it to finish.</param>
public sealed record TrainResult(
    string Model,
    long Parameters,
    double TestAccuracy,
    double Epochs,
    long Steps,
    double Seconds,
    double ExamplesPerSecond,
    string Blas,
    bool Private,
    double? Epsilon,
    double? Delta,
    double? NoiseMultiplier,
    double? SamplingRate,
    double? ClipNorm,
    string? Accountant,
    int DroppedExamples,
    string RunFolder,
    bool Completed,
    string? EvaluatedOn = null);
