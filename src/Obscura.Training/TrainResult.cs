namespace Obscura.Training;

/// <summary>The outcome of <c>obscura train</c>; the JSON line's fields.</summary>
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
    string RunFolder);
