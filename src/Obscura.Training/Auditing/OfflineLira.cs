namespace Obscura.Training.Auditing;

/// <summary>
/// The offline likelihood-ratio attack of Carlini, Chien, Nasr, Song, Terzis and Tramèr 2022
/// ("Membership Inference Attacks From First Principles", IEEE S&amp;P, Algorithm 1, offline
/// variant): S shadow models are trained without the target examples, so each example's
/// logit-scaled confidence φ (<see cref="LogitScores"/>) under them samples the OUT
/// distribution, modelled as N(μ_i, σ²). The target model's φ is then scored by the one-sided
/// test "is φ larger than OUT?": Λ_i = Φ((φ − μ_i)/σ) = P[Z &lt; φ], Z ~ N(μ_i, σ²); a member's φ
/// tends to be higher than any OUT model's.
/// </summary>
/// <remarks>
/// <para>μ_i is the mean of example i's S shadow values. σ is global (the paper's advice for few
/// shadows, §VI.A): σ² = Σ_i Σ_s (φ_{s,i} − μ_i)² / (M·(S − 1)), the pooled within-example
/// variance, so it needs S ≥ 2. From <see cref="PerExampleVarianceFrom"/> shadows on, each
/// example gets its own sample variance instead.</para>
/// <para><see cref="Statistic"/> returns z = (φ − μ_i)/σ_i rather than Φ(z): Φ is increasing, so
/// both rank examples identically, but Φ(z) rounds to 1 in double for z above about 8.3 and would
/// tie the strongest members, which is exactly where TPR at low FPR is read.</para>
/// </remarks>
public sealed class OfflineLira
{
    /// <summary>Shadow count from which per-example variances replace the global one (Carlini et al. use global variance below 64).</summary>
    public const int PerExampleVarianceFrom = 64;

    private OfflineLira(double[] means, double[] deviations, int shadows)
    {
        Means = means;
        Deviations = deviations;
        Shadows = shadows;
    }

    /// <summary>μ_i, the mean OUT confidence of each example, [M].</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>σ_i, the OUT standard deviation used for each example (all equal when global), [M].</summary>
    public IReadOnlyList<double> Deviations { get; }

    /// <summary>S, the number of shadow models.</summary>
    public int Shadows { get; }

    /// <summary>True when every example shares one σ (S below <see cref="PerExampleVarianceFrom"/>).</summary>
    public bool GlobalVariance => Shadows < PerExampleVarianceFrom;

    /// <summary>Fits the OUT Gaussians from <paramref name="shadowConfidences"/>[s][i], φ of example i under shadow s.</summary>
    /// <exception cref="ArgumentException">Fewer than two shadows, ragged or empty rows, a non-finite φ, or zero spread.</exception>
    public static OfflineLira Fit(IReadOnlyList<double[]> shadowConfidences)
    {
        var s = shadowConfidences.Count;
        if (s < 2)
        {
            throw new ArgumentException($"OfflineLira: need at least 2 shadow models to estimate the OUT variance, got {s}.");
        }
        var m = shadowConfidences[0].Length;
        if (m == 0 || shadowConfidences.Any(row => row.Length != m))
        {
            throw new ArgumentException($"OfflineLira: every shadow must score the same non-empty set of examples, got {string.Join(", ", shadowConfidences.Select(r => r.Length))}.");
        }
        var means = new double[m];
        var variances = new double[m];
        for (var i = 0; i < m; i++)
        {
            double sum = 0;
            for (var k = 0; k < s; k++)
            {
                var phi = shadowConfidences[k][i];
                if (!double.IsFinite(phi))
                {
                    throw new ArgumentException($"OfflineLira: shadow {k} gives example {i} a non-finite confidence {phi}.");
                }
                sum += phi;
            }
            means[i] = sum / s;
            double squares = 0;
            for (var k = 0; k < s; k++)
            {
                var d = shadowConfidences[k][i] - means[i];
                squares += d * d;
            }
            variances[i] = squares / (s - 1);
        }
        var deviations = new double[m];
        if (s < PerExampleVarianceFrom)
        {
            Array.Fill(deviations, Math.Sqrt(variances.Average()));
        }
        else
        {
            for (var i = 0; i < m; i++)
            {
                deviations[i] = Math.Sqrt(variances[i]);
            }
        }
        if (deviations.Any(d => !(d > 0)))
        {
            throw new ArgumentException("OfflineLira: the shadow models agree exactly on an example, so the OUT variance is zero; train them with different seeds.");
        }
        return new OfflineLira(means, deviations, s);
    }

    /// <summary>z = (φ − μ_i)/σ_i for the target's φ of example <paramref name="index"/>; −∞ for NaN (called a non-member).</summary>
    public double Statistic(int index, double confidence) =>
        double.IsNaN(confidence) ? double.NegativeInfinity : (confidence - Means[index]) / Deviations[index];

    /// <summary>z for every example: <paramref name="targetConfidences"/>[i] is the target model's φ of example i.</summary>
    public double[] Statistics(IReadOnlyList<double> targetConfidences)
    {
        if (targetConfidences.Count != Means.Count)
        {
            throw new ArgumentException($"OfflineLira: fitted on {Means.Count} examples, got {targetConfidences.Count} target confidences.");
        }
        return targetConfidences.Select((phi, i) => Statistic(i, phi)).ToArray();
    }

    /// <summary>Λ = Φ(z), the likelihood score of the paper (the probability that an OUT model's φ is below the target's).</summary>
    public static double Likelihood(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>1 − Φ(z) = P[OUT φ ≥ observed], computed directly so it stays accurate far in the tail.</summary>
    public static double PValue(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2));
}
