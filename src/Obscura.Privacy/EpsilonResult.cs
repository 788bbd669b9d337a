namespace Obscura.Privacy;

/// <summary>
/// ε at a given δ, with what produced it. <see cref="Epsilon"/> is +∞ (and
/// <see cref="IsInfinite"/> true, with <see cref="Note"/> saying why) when no finite ε holds at
/// that δ; it is never NaN.
/// </summary>
/// <param name="Epsilon">The ε bound, ≥ 0, possibly +∞.</param>
/// <param name="Delta">The δ it holds at.</param>
/// <param name="Accountant">"rdp" or "pld".</param>
/// <param name="Conversion">For RDP: "improved" or "classic"; for PLD: null.</param>
/// <param name="Order">For RDP: the Rényi order α that gave the minimum; otherwise null.</param>
/// <param name="Note">Why ε is infinite, or another caveat; null when there is none.</param>
public sealed record EpsilonResult(
    double Epsilon,
    double Delta,
    string Accountant,
    string? Conversion = null,
    double? Order = null,
    string? Note = null)
{
    /// <summary>True when no finite ε holds at <see cref="Delta"/>.</summary>
    public bool IsInfinite => double.IsPositiveInfinity(Epsilon);
}
