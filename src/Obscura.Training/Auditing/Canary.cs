namespace Obscura.Training.Auditing;

/// <summary>One canary of a run, as recorded in canaries.json.</summary>
/// <param name="Index">Position among the run's canaries, 0..M−1.</param>
/// <param name="Included">The coin: true when the canary is in the training set (probability 1/2).</param>
/// <param name="Label">The label it is trained (and scored) with.</param>
/// <param name="Source">Mislabelled canaries: the index of the training image it copies.</param>
/// <param name="Pattern">Out-of-distribution canaries: the seed of its block pattern.</param>
public sealed record Canary(int Index, bool Included, int Label, int? Source = null, ulong? Pattern = null);
