using MathNet.Numerics.Distributions;

namespace Obscura.Privacy.Auditing;

/// <summary>
/// μ-Gaussian differential privacy (Dong, Roth and Su 2022): a mechanism is μ-GDP when telling
/// its outputs on neighbouring inputs apart is no easier than telling N(0, 1) from N(μ, 1).
/// The Gaussian mechanism with sensitivity Δ and noise σ is exactly (Δ/σ)-GDP.
/// </summary>
public static class GaussianDp
{
    /// <summary>
    /// The μ for which a test with these error rates lies on the μ-GDP trade-off curve
    /// FNR = Φ(Φ⁻¹(1 − FPR) − μ): μ = Φ⁻¹(1 − FPR) − Φ⁻¹(FNR). Rates must be in (0, 1).
    /// </summary>
    public static double MuFromRates(double falsePositiveRate, double falseNegativeRate)
    {
        CheckOpenUnit(falsePositiveRate, nameof(falsePositiveRate));
        CheckOpenUnit(falseNegativeRate, nameof(falseNegativeRate));
        return Normal.InvCDF(0, 1, 1 - falsePositiveRate) - Normal.InvCDF(0, 1, falseNegativeRate);
    }

    /// <summary>
    /// μ lower bound with confidence ≥ <paramref name="confidence"/>: <see cref="MuFromRates"/> of
    /// the Clopper–Pearson upper bounds of both rates (each at level α/2).
    /// </summary>
    public static double MuLowerBound(long falsePositives, long negatives, long falseNegatives, long positives,
        double confidence = 0.95)
    {
        double alpha = 1 - confidence;
        double fpr = ClopperPearson.UpperBound(falsePositives, negatives, alpha / 2);
        double fnr = ClopperPearson.UpperBound(falseNegatives, positives, alpha / 2);
        return Math.Max(0, MuFromRates(Math.Min(fpr, 1 - 1e-16), Math.Min(fnr, 1 - 1e-16)));
    }

    /// <summary>
    /// Point estimate of μ from samples of a scalar statistic of the output without and with the
    /// canary, assuming both are Gaussian with a common variance (as for a noised sum projected
    /// on the canary direction): |mean(with) − mean(without)| / pooled standard deviation.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 samples on either side, or zero spread.</exception>
    public static double MuFromSamples(ReadOnlySpan<double> without, ReadOnlySpan<double> with)
    {
        if (without.Length < 2 || with.Length < 2)
        {
            throw new ArgumentException(
                $"GaussianDp.MuFromSamples: need at least 2 samples on each side, got {without.Length} and {with.Length}.");
        }
        (double mean0, double sumSquares0) = MeanAndSumSquares(without);
        (double mean1, double sumSquares1) = MeanAndSumSquares(with);
        double pooled = Math.Sqrt((sumSquares0 + sumSquares1) / (without.Length + with.Length - 2));
        if (!(pooled > 0))
        {
            throw new ArgumentException("GaussianDp.MuFromSamples: samples have zero spread.");
        }
        return Math.Abs(mean1 - mean0) / pooled;
    }

    /// <summary>
    /// δ(ε) of μ-GDP: Φ(−ε/μ + μ/2) − e^ε·Φ(−ε/μ − μ/2) (Dong, Roth and Su 2022, Corollary 2.13;
    /// the same curve as the analytic Gaussian mechanism of Balle and Wang 2018 with μ = Δ/σ).
    /// </summary>
    public static double Delta(double mu, double epsilon)
    {
        if (!(mu >= 0 && double.IsFinite(mu)))
        {
            throw new ArgumentOutOfRangeException(nameof(mu), mu, "GaussianDp.Delta: mu must be finite and >= 0.");
        }
        if (mu == 0)
        {
            return 0;
        }
        double a = -epsilon / mu;
        double value = Normal.CDF(0, 1, a + mu / 2) - Math.Exp(epsilon) * Normal.CDF(0, 1, a - mu / 2);
        return Math.Max(0, value);
    }

    /// <summary>
    /// Smallest ε ≥ 0 with <see cref="Delta"/>(μ, ε) ≤ δ, by bisection (δ(ε) decreases in ε).
    /// </summary>
    public static double Epsilon(double mu, double delta)
    {
        CheckOpenUnit(delta, nameof(delta));
        if (Delta(mu, 0) <= delta)
        {
            return 0;
        }
        double lo = 0, hi = 1;
        while (Delta(mu, hi) > delta)
        {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 100; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Delta(mu, mid) > delta)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return hi;
    }

    private static (double Mean, double SumSquares) MeanAndSumSquares(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }
        mean /= values.Length;
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return (mean, sum);
    }

    private static void CheckOpenUnit(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"GaussianDp: {name} must be in (0, 1).");
        }
    }
}
