namespace Obscura.Privacy;

/// <summary>
/// Which way a neighbouring dataset differs. Under add-or-remove-one adjacency a mechanism is
/// (ε, δ)-DP when both relations are; the PLD accountant bounds each and reports the worse.
/// </summary>
public enum NeighbouringRelation
{
    /// <summary>
    /// The neighbour lacks one example: the pair (P, Q) = ((1−q)N(0,σ²) + qN(1,σ²), N(0,σ²)).
    /// </summary>
    Remove,

    /// <summary>
    /// The neighbour has one more example: the pair (P, Q) = (N(0,σ²), (1−q)N(0,σ²) + qN(1,σ²)).
    /// </summary>
    Add,
}
