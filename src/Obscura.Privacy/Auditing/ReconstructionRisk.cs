using Obscura.Privacy.Randomness;

namespace Obscura.Privacy.Auditing;

/// <summary>
/// Reconstruction robustness of DP-SGD (Hayes, Mahloujifar and Balle 2023, "Bounding Training
/// Data Reconstruction in DP-SGD", NeurIPS 2023, arXiv:2302.07225): an upper bound on the
/// probability that any attacker reconstructs a training example, given that without the model
/// its best guess succeeds with probability κ (the prior).
/// </summary>
/// <remarks>
/// <para>In our words: with the clip norm scaled to 1 and σ the noise multiplier, T steps of
/// Poisson-subsampled DP-SGD are dominated by the pair ν = N(0, σ²)^⊗T (target example absent)
/// and μ = ((1 − q)·N(0, σ²) + q·N(1, σ²))^⊗T (present). An attacker whose guess would be right
/// with probability at most κ under ν succeeds with probability at most the κ blow-up
/// B(κ) = sup { μ(E) : ν(E) ≤ κ }. By the Neyman–Pearson lemma the supremum is attained by
/// E = { log μ/ν &gt; τ } with ν(E) = κ, and the log-likelihood ratio is a sum over steps of
/// log(1 − q + q·exp((2x_t − 1)/(2σ²))).</para>
/// <para>Estimate: draw n outputs from ν and set τ to their empirical (1 − κ) quantile; draw n
/// independent outputs from μ and report the fraction with log-ratio above τ, with its binomial
/// standard error. The standard error does not include the error in τ; more samples shrink both.
/// Sanity check used in the tests: for q = 1 the bound is exactly Φ(Φ⁻¹(κ) + √T/σ).</para>
/// </remarks>
public static class ReconstructionRisk
{
    /// <summary>Estimates B(κ) for T steps of DP-SGD with sampling rate q and noise multiplier σ.</summary>
    /// <exception cref="ArgumentOutOfRangeException">q not in (0, 1], σ ≤ 0, steps &lt; 1, κ not in (0, 1) or samples &lt; 100.</exception>
    public static ReconstructionBound Estimate(double samplingRate, double noiseMultiplier, long steps, double prior,
        int samples, IRandomSource random)
    {
        if (!(samplingRate > 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, "ReconstructionRisk: sampling rate must be in (0, 1].");
        }
        if (!(noiseMultiplier > 0 && double.IsFinite(noiseMultiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "ReconstructionRisk: noise multiplier must be finite and > 0.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(prior > 0 && prior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(prior), prior, "ReconstructionRisk: prior must be in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 100);
        ArgumentNullException.ThrowIfNull(random);

        var absent = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            absent[i] = LogLikelihoodRatio(samplingRate, noiseMultiplier, steps, present: false, random);
        }
        Array.Sort(absent);
        // τ: the largest value with at least ⌈(1 − κ)n⌉ samples at or below it, so at most κn lie above.
        int index = Math.Clamp((int)Math.Ceiling((1 - prior) * samples) - 1, 0, samples - 1);
        double threshold = absent[index];

        int above = 0;
        for (int i = 0; i < samples; i++)
        {
            if (LogLikelihoodRatio(samplingRate, noiseMultiplier, steps, present: true, random) > threshold)
            {
                above++;
            }
        }
        double p = (double)above / samples;
        return new ReconstructionBound(prior, p, Math.Sqrt(p * (1 - p) / samples), samples);
    }

    // One output of T steps, projected on the target's gradient direction, reduced to its log μ/ν.
    private static double LogLikelihoodRatio(double q, double sigma, long steps, bool present, IRandomSource random)
    {
        double logKeep = Math.Log(1 - q); // −∞ when q = 1, handled by LogAddExp
        double logQ = Math.Log(q);
        double twoVariance = 2 * sigma * sigma;
        double sum = 0;
        for (long t = 0; t < steps; t++)
        {
            double x = sigma * StandardNormal(random);
            if (present && random.NextOpenUnitDouble() < q)
            {
                x += 1;
            }
            sum += LogAddExp(logKeep, logQ + (2 * x - 1) / twoVariance);
        }
        return sum;
    }

    private static double LogAddExp(double a, double b)
    {
        double high = Math.Max(a, b), low = Math.Min(a, b);
        return double.IsNegativeInfinity(low) ? high : high + Math.Log(1 + Math.Exp(low - high));
    }

    // Box–Muller; only statistical quality matters here.
    private static double StandardNormal(IRandomSource random)
    {
        double r = Math.Sqrt(-2 * Math.Log(random.NextOpenUnitDouble()));
        return r * Math.Cos(2 * Math.PI * random.NextOpenUnitDouble());
    }
}
