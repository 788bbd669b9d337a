namespace Obscura.Privacy;

/// <summary>
/// The exact privacy curve of the Gaussian mechanism, i.e. of μ-Gaussian DP (Balle &amp; Wang
/// 2018, Thm. 8; Dong, Roth, Su 2019): δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2), with
/// μ = sensitivity/σ for one release and μ = √T/σ for T releases with noise multiplier σ.
/// </summary>
public static class AnalyticGaussian
{
    /// <summary>δ(ε) for μ-GDP, evaluated in log space so that large ε and μ do not overflow.</summary>
    /// <exception cref="ArgumentOutOfRangeException">μ ≤ 0 or ε &lt; 0, or either is not finite.</exception>
    public static double Delta(double epsilon, double mu)
    {
        CheckMu(mu);
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be a finite number ≥ 0, got {PrivacyArgument.Format(epsilon)}");
        }
        var logFirst = LogNormalCdf(-epsilon / mu + mu / 2);
        var logSecond = epsilon + LogNormalCdf(-epsilon / mu - mu / 2);
        var logDelta = LogMath.LogSub(logFirst, Math.Min(logFirst, logSecond));
        return Math.Clamp(Math.Exp(logDelta), 0, 1);
    }

    /// <summary>The smallest ε ≥ 0 with δ(ε) ≤ <paramref name="delta"/>, by bisection to 1e-12 relative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ ∉ (0, 1) or μ ≤ 0.</exception>
    public static double Epsilon(double delta, double mu)
    {
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        CheckMu(mu);
        if (Delta(0, mu) <= delta)
        {
            return 0;
        }
        double low = 0, high = 1;
        while (Delta(high, mu) > delta)
        {
            low = high;
            high *= 2;
        }
        while (high - low > 1e-12 * high)
        {
            var middle = 0.5 * (low + high);
            if (Delta(middle, mu) > delta)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return high;
    }

    private static double LogNormalCdf(double z) => Math.Log(0.5) + LogMath.LogErfc(-z / Math.Sqrt(2));

    private static void CheckMu(double mu)
    {
        if (!double.IsFinite(mu) || mu <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mu), $"mu must be a finite number > 0, got {PrivacyArgument.Format(mu)}");
        }
    }
}
