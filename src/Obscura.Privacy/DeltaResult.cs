namespace Obscura.Privacy;

/// <summary>δ at a given ε, with what produced it. δ is in [0, 1], never NaN.</summary>
/// <param name="Delta">The δ bound.</param>
/// <param name="Epsilon">The ε it was computed at.</param>
/// <param name="Accountant">"rdp" or "pld".</param>
/// <param name="Conversion">For RDP: "improved" or "classic"; for PLD: null.</param>
/// <param name="Order">For RDP: the Rényi order α that gave the minimum; otherwise null.</param>
public sealed record DeltaResult(
    double Delta,
    double Epsilon,
    string Accountant,
    string? Conversion = null,
    double? Order = null);
