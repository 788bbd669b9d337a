using Obscura.Nn;
using Obscura.Privacy;
using Obscura.Privacy.Auditing;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;

namespace Obscura.Training.Auditing;

/// <summary>
/// The canary audit of the implementation itself (DESIGN.md §6): synthetic per-example gradients,
/// with and without one canary gradient, go through the real clip-sum-noise code (the
/// <see cref="PerExampleClipper"/> and <see cref="DpPlan.AddNoiseAndNormalise"/> used in training)
/// many times; a threshold test on the canary direction (threshold chosen on one half of the
/// trials, scored on the other) gives two ε lower bounds with 95% confidence: a model-free one from
/// Clopper–Pearson bounds on its error rates, and a Gaussian-DP one (the μ those rates imply,
/// converted to ε at δ), which is tight when the mechanism is the Gaussian it claims to be. A
/// correct mechanism's bounds stay below the accounted ε and, for full batches, come close to it;
/// a mechanism with the noise halved or the noise added before clipping exceeds it.
/// </summary>
public static class SelfAudit
{
    /// <summary>The mechanism variants: the real one and deliberately broken ones (negative controls).</summary>
    public enum Mechanism
    {
        Real,
        NoiseHalved,
        NoiseBeforeClipping,
    }

    /// <summary>A setting to audit: one Poisson-sampled Gaussian release per step, <paramref name="Steps"/> steps.</summary>
    public sealed record Setting(double SamplingRate, double NoiseMultiplier, int Steps);

    /// <summary>The audit's outcome for one setting and mechanism.</summary>
    public sealed record Outcome(Setting Setting, Mechanism Mechanism, double AccountedEpsilon, double ThresholdBound,
        double GaussianBound, double Delta, int TrialsPerWorld)
    {
        /// <summary>The larger of the two empirical lower bounds.</summary>
        public double EpsilonLowerBound => Math.Max(ThresholdBound, GaussianBound);

        /// <summary>True when the empirical bound exceeds what the accountant promised: a privacy bug.</summary>
        public bool Violates => EpsilonLowerBound > AccountedEpsilon;
    }

    private const int Background = 4;
    private const int Dimension = 4;
    private const double ClipNorm = 1.0;

    public static Outcome Run(Setting setting, Mechanism mechanism, int trialsPerWorld, double delta, ulong seed, bool secureNoise = true)
    {
        // Accounted as training accounts it: with the grid sampler's effective σ when noise is secure.
        var accountedSigma = secureNoise ? SecureGaussianNoise.EffectiveNoiseMultiplier(setting.NoiseMultiplier, Dimension) : setting.NoiseMultiplier;
        var accounted = new PldAccountant().GetEpsilon(
            DpEvent.PoissonSampledGaussian(setting.SamplingRate, accountedSigma, setting.Steps), delta).Epsilon;
        var source = new SyntheticGradients(Dimension);
        var clipper = new PerExampleClipper([source], ClipNorm, false, NormMethod.Auto);
        var noiseSigma = mechanism == Mechanism.NoiseHalved ? setting.NoiseMultiplier / 2 : setting.NoiseMultiplier;
        IGaussianNoise noise = secureNoise ? new SecureGaussianNoise(maxDegreeOfParallelism: 1) : new SeededGaussianNoise(seed);
        var datasetSize = Background + 1;
        var plan = DpPlan.Create(new PrivacyConfig(null, noiseSigma, delta, ClipNorm, AllowLargeDelta: true),
            datasetSize, 1, 1, Dimension, new SeededRandomSource(seed + 1), noise);
        var inclusion = new SeededRandomSource(seed + 2);
        var perturb = new SeededGaussianNoise(seed + 3);

        double Trial(bool withCanary)
        {
            double statistic = 0;
            for (var t = 0; t < setting.Steps; t++)
            {
                var rows = new List<float>();
                for (var i = 0; i < Background; i++)
                {
                    if (inclusion.NextOpenUnitDouble() < setting.SamplingRate)
                    {
                        // Background gradients are orthogonal to the canary direction e0, of norm 2C.
                        rows.AddRange([0f, i % 2 == 0 ? 2f : -2f, 0f, 0f]);
                    }
                }
                if (withCanary && inclusion.NextOpenUnitDouble() < setting.SamplingRate)
                {
                    rows.AddRange([5f, 0f, 0f, 0f]); // norm 5C: clipping must bring it to C
                }
                source.Rows = rows.ToArray();
                if (mechanism == Mechanism.NoiseBeforeClipping)
                {
                    perturb.AddNoise(source.Rows, noiseSigma * ClipNorm);
                }
                source.Parameters[0].Grad.Clear();
                clipper.ClipAndAccumulate(source.Rows.Length / Dimension, 1, []);
                if (mechanism != Mechanism.NoiseBeforeClipping)
                {
                    plan.AddNoiseAndNormalise(source.Parameters);
                }
                statistic += source.Parameters[0].Grad.Span[0];
            }
            return statistic;
        }

        var without = new double[trialsPerWorld];
        var with = new double[trialsPerWorld];
        for (var i = 0; i < trialsPerWorld; i++)
        {
            without[i] = Trial(false);
            with[i] = Trial(true);
        }
        var (threshold, gaussian) = LowerBounds(without, with, delta);
        return new Outcome(setting, mechanism, accounted, threshold, gaussian, delta, trialsPerWorld);
    }

    // Thresholds chosen on the first half of the trials, bounds computed on the second half.
    private static (double Threshold, double Gaussian) LowerBounds(double[] without, double[] with, double delta)
    {
        var half = without.Length / 2;
        var negatives = without.Length - half;
        var positives = with.Length - half;
        (long FalsePositives, long FalseNegatives) Errors(double threshold) =>
            (without.AsSpan(half).ToArray().Count(x => x > threshold), with.AsSpan(half).ToArray().Count(x => x <= threshold));

        var (fp, fn) = Errors(BestThreshold(without.AsSpan(0, half), with.AsSpan(0, half),
            (f, n, g, p) => ThresholdAudit.EpsilonLowerBound(f, n, g, p, delta)));
        var thresholdBound = ThresholdAudit.EpsilonLowerBound(fp, negatives, fn, positives, delta);

        (fp, fn) = Errors(BestThreshold(without.AsSpan(0, half), with.AsSpan(0, half),
            (f, n, g, p) => GaussianDp.MuLowerBound(f, n, g, p)));
        var mu = GaussianDp.MuLowerBound(fp, negatives, fn, positives);
        var gaussianBound = mu > 0 ? GaussianDp.Epsilon(mu, delta) : 0;
        return (thresholdBound, gaussianBound);
    }

    private static double BestThreshold(ReadOnlySpan<double> without, ReadOnlySpan<double> with, Func<long, long, long, long, double> score)
    {
        var sortedWithout = without.ToArray();
        Array.Sort(sortedWithout);
        var sortedWith = with.ToArray();
        Array.Sort(sortedWith);
        var best = double.NegativeInfinity;
        var bestThreshold = sortedWithout[^1];
        // Candidate thresholds: upper quantiles of the no-canary statistic (where large ε shows).
        for (var falsePositives = 0; falsePositives < sortedWithout.Length / 2; falsePositives = Math.Max(falsePositives + 1, falsePositives * 11 / 10))
        {
            var threshold = sortedWithout[sortedWithout.Length - 1 - falsePositives];
            var fp = sortedWithout.Length - UpperIndex(sortedWithout, threshold);
            var fn = UpperIndex(sortedWith, threshold);
            var value = score(fp, sortedWithout.Length, fn, sortedWith.Length);
            if (value > best)
            {
                best = value;
                bestThreshold = threshold;
            }
        }
        return bestThreshold;
    }

    // Number of values ≤ threshold in a sorted array.
    private static int UpperIndex(double[] sorted, double threshold)
    {
        var i = Array.BinarySearch(sorted, threshold);
        if (i < 0)
        {
            return ~i;
        }
        while (i < sorted.Length && sorted[i] <= threshold)
        {
            i++;
        }
        return i;
    }
}
