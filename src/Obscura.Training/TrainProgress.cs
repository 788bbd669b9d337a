namespace Obscura.Training;

/// <summary>A progress report after a step (for the progress bar; not for release).</summary>
public sealed record TrainProgress(
    int Epoch,
    int Epochs,
    long Step,
    long Steps,
    double Loss,
    double ExamplesPerSecond,
    TimeSpan Eta,
    double? EpsilonSpent);
