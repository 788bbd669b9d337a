namespace Obscura.Training;

/// <summary>Where training stands in a checkpoint: steps completed and the run's seed.</summary>
public sealed record TrainState(long Step, int Seed);
