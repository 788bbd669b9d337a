namespace Obscura.PrivacyParts.Tests.Support;

/// <summary>Named acceptance limits for statistical tests (all with fixed seeds, two-sided).</summary>
internal static class Tolerances
{
    /// <summary>|z| limit for approximately normal statistics: two-sided false-alarm rate ≈ 6e-7.</summary>
    public const double ZScore = 5.0;

    /// <summary>Two-sided significance for exact chi-square and KS tests.</summary>
    public const double Alpha = 1e-6;

    /// <summary>Kolmogorov–Smirnov: √n·D exceeds this with probability ≈ 1e-6 under the null
    /// (asymptotic Kolmogorov distribution: P[K > x] ≈ 2·exp(−2x²)).</summary>
    public static readonly double KolmogorovCritical = Math.Sqrt(-Math.Log(Alpha / 2) / 2);
}
