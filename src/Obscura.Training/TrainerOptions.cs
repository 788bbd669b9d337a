namespace Obscura.Training;

/// <summary>
/// How the loop runs, apart from the config: seeded randomness for tests (real runs draw sampling
/// and noise from a cryptographic source), the checkpoint interval, and the live ε display.
/// </summary>
public sealed record TrainerOptions
{
    public bool SeededRandomness { get; init; }
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(2);
    public bool LiveEpsilon { get; init; } = true;
}
