namespace Obscura.Cli.Commands;

/// <summary>A run's sampling rate and steps as resolved from the command line.</summary>
/// <param name="SamplingRate">q.</param>
/// <param name="Steps">T, or null when the command computes it.</param>
/// <param name="Derivation">How q and T were derived from N, B, E, for printing; null when given directly.</param>
public sealed record ResolvedSchedule(double SamplingRate, long? Steps, string? Derivation);
