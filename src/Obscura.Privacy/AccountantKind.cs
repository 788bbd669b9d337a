namespace Obscura.Privacy;

/// <summary>Which accountant computes ε.</summary>
public enum AccountantKind
{
    /// <summary>Privacy loss distribution: tight, slower. The default for calibration and reports.</summary>
    Pld,

    /// <summary>Rényi DP: fast, looser.</summary>
    Rdp,
}
