using MathNet.Numerics.Distributions;

namespace Obscura.PrivacyParts.Tests.Support;

/// <summary>Two-sided statistical checks of samples that should be N(0, σ²).</summary>
internal static class NoiseStatistics
{
    /// <summary>
    /// z-score of S = Σ x²/σ₀², which is χ² with n degrees of freedom when the samples are
    /// N(0, σ₀²) (known mean 0); for n = 10^5 the χ² is normal to within its skewness √(8/n) ≈ 0.01.
    /// </summary>
    public static double VarianceZ(ReadOnlySpan<float> samples, double hypothesisedSigma)
    {
        double sum = 0;
        foreach (float x in samples)
        {
            sum += (double)x * x;
        }
        double statistic = sum / (hypothesisedSigma * hypothesisedSigma);
        return (statistic - samples.Length) / Math.Sqrt(2.0 * samples.Length);
    }

    /// <summary>z-score of the sample mean under N(0, σ²).</summary>
    public static double MeanZ(ReadOnlySpan<float> samples, double sigma)
    {
        double sum = 0;
        foreach (float x in samples)
        {
            sum += x;
        }
        return sum / samples.Length / (sigma / Math.Sqrt(samples.Length));
    }

    /// <summary>√n times the Kolmogorov–Smirnov distance between the samples and N(0, σ²).</summary>
    public static double ScaledKolmogorovDistance(ReadOnlySpan<float> samples, double sigma)
    {
        double[] sorted = new double[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            sorted[i] = samples[i];
        }
        Array.Sort(sorted);
        double n = sorted.Length, worst = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double f = Normal.CDF(0, sigma, sorted[i]);
            worst = Math.Max(worst, Math.Max(f - i / n, (i + 1) / n - f));
        }
        return worst * Math.Sqrt(n);
    }

    /// <summary>Pearson correlation of two equal-length vectors.</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
