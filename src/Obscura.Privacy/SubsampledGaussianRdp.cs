namespace Obscura.Privacy;

/// <summary>
/// Rényi DP of one step of the Poisson-subsampled Gaussian mechanism (sampling rate q, noise
/// multiplier σ, sensitivity 1) at order α: RDP(α) = log A_α / (α − 1), with
/// A_α = E_{x∼N(0,σ²)}[((1−q) + q·e^{(2x−1)/(2σ²)})^α] (Mironov, Talwar, Zhang 2019, "Rényi
/// Differential Privacy of the Sampled Gaussian Mechanism", §3).
/// </summary>
/// <remarks>
/// Integer α: A_α = Σ_k C(α,k)(1−q)^{α−k} q^k e^{(k²−k)/(2σ²)}, summed exactly in log space.
/// Fractional α: the two-sided series of §3.3 in the same paper, split at z₀ = σ² log(1/q − 1) + ½
/// where the integrand's two regimes meet; positive and negative terms are accumulated
/// separately in log space and subtracted once at the end. q = 1 is the plain Gaussian,
/// RDP(α) = α/(2σ²).
/// </remarks>
public static class SubsampledGaussianRdp
{
    private const int MaxSeriesTerms = 100_000;

    /// <summary>RDP(α) of one step; ≥ 0 and finite for valid input.</summary>
    /// <exception cref="ArgumentOutOfRangeException">q ∉ (0, 1], σ ≤ 0 or α ≤ 1 (or any is not finite).</exception>
    /// <exception cref="ArithmeticException">The fractional-order series did not converge.</exception>
    public static double Compute(double samplingRate, double noiseMultiplier, double order)
    {
        PrivacyArgument.RequireSamplingRate(samplingRate, nameof(samplingRate));
        PrivacyArgument.RequireNoiseMultiplier(noiseMultiplier, nameof(noiseMultiplier));
        if (!double.IsFinite(order) || order <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(order), $"Rényi order must be a finite number > 1, got {PrivacyArgument.Format(order)}");
        }

        if (samplingRate == 1)
        {
            return order / (2 * noiseMultiplier * noiseMultiplier);
        }

        var logA = order == Math.Floor(order) && order <= int.MaxValue
            ? LogAInteger(samplingRate, noiseMultiplier, (int)order)
            : LogAFractional(samplingRate, noiseMultiplier, order);
        // A_α ≥ 1 in exact arithmetic (Jensen); rounding may push log A a hair below 0.
        return Math.Max(0, logA) / (order - 1);
    }

    /// <summary>log A_α for integer α ≥ 2 by log-sum-exp over the binomial expansion.</summary>
    internal static double LogAInteger(double q, double sigma, int alpha)
    {
        var logQ = Math.Log(q);
        var log1MinusQ = LogMath.Log1P(-q);
        var twoSigmaSquared = 2 * sigma * sigma;
        // Terms first, then one shifted sum: one exp per term. log C(α,k) is built up as
        // log C(α,k−1) + log(α−k+1) − log k rather than from three log-gamma calls.
        var terms = alpha < 2048 ? stackalloc double[alpha + 1] : new double[alpha + 1];
        var logBinomial = 0.0;
        var max = double.NegativeInfinity;
        for (var k = 0; k <= alpha; k++)
        {
            if (k > 0)
            {
                logBinomial += Math.Log((double)(alpha - k + 1) / k);
            }
            terms[k] = logBinomial + k * logQ + (alpha - k) * log1MinusQ + ((double)k * k - k) / twoSigmaSquared;
            max = Math.Max(max, terms[k]);
        }
        double sum = 0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }
        return max + Math.Log(sum);
    }

    /// <summary>log A_α for fractional α by the series of Mironov, Talwar and Zhang (2019), §3.3.</summary>
    internal static double LogAFractional(double q, double sigma, double alpha)
    {
        var logQ = Math.Log(q);
        var log1MinusQ = LogMath.Log1P(-q);
        var twoSigmaSquared = 2 * sigma * sigma;
        var sqrt2Sigma = Math.Sqrt(2) * sigma;
        var z0 = sigma * sigma * (log1MinusQ - logQ) + 0.5;
        var logHalf = Math.Log(0.5);

        var positive = double.NegativeInfinity;
        var negative = double.NegativeInfinity;
        var logAbsBinomial = 0.0; // log |C(α, 0)|
        var sign = 1;
        for (var i = 0; ; i++)
        {
            if (i > 0)
            {
                // C(α, i) = C(α, i−1)·(α − i + 1)/i; the factor turns negative once i > α + 1.
                var factor = (alpha - i + 1) / i;
                logAbsBinomial += Math.Log(Math.Abs(factor));
                if (factor < 0)
                {
                    sign = -sign;
                }
            }

            var j = alpha - i;
            var logS0 = logAbsBinomial + i * logQ + j * log1MinusQ + ((double)i * i - i) / twoSigmaSquared
                + logHalf + LogMath.LogErfc((i - z0) / sqrt2Sigma);
            var logS1 = logAbsBinomial + j * logQ + i * log1MinusQ + (j * j - j) / twoSigmaSquared
                + logHalf + LogMath.LogErfc((z0 - j) / sqrt2Sigma);
            var both = LogMath.LogAdd(logS0, logS1);
            if (sign > 0)
            {
                positive = LogMath.LogAdd(positive, both);
            }
            else
            {
                negative = LogMath.LogAdd(negative, both);
            }

            // A_α ≥ 1, so once past α terms below e^{-36} no longer change it in double precision.
            if (i > alpha && Math.Max(logS0, logS1) < -36)
            {
                break;
            }
            if (i >= MaxSeriesTerms)
            {
                throw new ArithmeticException(
                    $"RDP series for q={PrivacyArgument.Format(q)}, σ={PrivacyArgument.Format(sigma)}, α={PrivacyArgument.Format(alpha)} did not converge in {MaxSeriesTerms} terms");
            }
        }

        var logA = LogMath.LogSub(positive, negative);
        if (double.IsNaN(logA))
        {
            throw new ArithmeticException(
                $"RDP series for q={PrivacyArgument.Format(q)}, σ={PrivacyArgument.Format(sigma)}, α={PrivacyArgument.Format(alpha)} cancelled to a negative value");
        }
        return logA;
    }
}
