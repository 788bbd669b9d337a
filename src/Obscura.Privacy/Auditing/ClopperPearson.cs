using MathNet.Numerics;

namespace Obscura.Privacy.Auditing;

/// <summary>
/// Exact (Clopper–Pearson 1934) confidence bounds for a binomial proportion p from k successes
/// in n trials. The upper bound at level α is the p with P[Binomial(n, p) ≤ k] = α, i.e. the
/// 1 − α quantile of Beta(k + 1, n − k); the lower bound is the p with P[Binomial(n, p) ≥ k] = α,
/// the α quantile of Beta(k, n − k + 1). Quantiles are found by bisection on the regularized
/// incomplete beta function (MathNet.Numerics SpecialFunctions.BetaRegularized) to full double
/// precision.
/// </summary>
public static class ClopperPearson
{
    /// <summary>
    /// Two-sided interval with coverage at least <paramref name="confidence"/>: each side uses
    /// α/2 with α = 1 − confidence.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 1, k outside [0, n] or confidence outside (0, 1).</exception>
    public static (double Lower, double Upper) Interval(long successes, long trials, double confidence = 0.95)
    {
        CheckConfidence(confidence);
        double alpha = 1 - confidence;
        return (LowerBound(successes, trials, alpha / 2), UpperBound(successes, trials, alpha / 2));
    }

    /// <summary>One-sided upper bound: P[p ≤ bound] ≥ 1 − α. Equals 1 when k = n; (α)^(1/n) complement when k = 0.</summary>
    public static double UpperBound(long successes, long trials, double alpha)
    {
        CheckCounts(successes, trials);
        CheckAlpha(alpha);
        if (successes == trials)
        {
            return 1;
        }
        if (successes == 0)
        {
            return -ExpMinusOne(Math.Log(alpha) / trials);
        }
        // P[Bin(n, p) ≤ k] = 1 − I_p(k + 1, n − k); solve I_p(k + 1, n − k) = 1 − α.
        return BetaQuantile(successes + 1, trials - successes, 1 - alpha);
    }

    /// <summary>One-sided lower bound: P[p ≥ bound] ≥ 1 − α. Equals 0 when k = 0.</summary>
    public static double LowerBound(long successes, long trials, double alpha)
    {
        CheckCounts(successes, trials);
        CheckAlpha(alpha);
        if (successes == 0)
        {
            return 0;
        }
        if (successes == trials)
        {
            return Math.Exp(Math.Log(alpha) / trials);
        }
        // P[Bin(n, p) ≥ k] = I_p(k, n − k + 1); solve it = α.
        return BetaQuantile(successes, trials - successes + 1, alpha);
    }

    // e^x − 1 accurate to a few ulps for small |x| (Kahan's trick: the rounding errors of exp and
    // log cancel). Math.Exp(x) − 1 loses digits there, and MathNet's Expm1 is accurate only to
    // about 1e-9 relative, which shows in the k = 0 bound.
    private static double ExpMinusOne(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    // x with I_x(a, b) = target, by bisection (I_x is increasing in x).
    private static double BetaQuantile(double a, double b, double target)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 0; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                break;
            }
            if (SpecialFunctions.BetaRegularized(a, b, mid) < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static void CheckCounts(long successes, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes,
                $"ClopperPearson: successes must be in [0, {trials}].");
        }
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ClopperPearson: alpha must be in (0, 1).");
        }
    }

    private static void CheckConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence,
                "ClopperPearson: confidence must be in (0, 1).");
        }
    }
}
