using Obscura.Nn.Scattering;

namespace Obscura.Scattering.Tests;

public class RandomFeatureWhiteningTests
{
    private const int D = 12, M = 40, N = 3000;

    // Correlated Gaussian rows: one strong shared direction plus independent noise of varied scale.
    private static float[] Sample(int seed)
    {
        var rng = new Random(seed);
        var rows = new float[N * D];
        for (var r = 0; r < N; r++)
        {
            var shared = Obscura.Nn.Init.StandardNormal(rng);
            for (var c = 0; c < D; c++)
            {
                rows[r * D + c] = (float)(3 * shared + (1 + c % 3) * Obscura.Nn.Init.StandardNormal(rng));
            }
        }
        return rows;
    }

    [Fact]
    public void Output_HasTheWidenedLength_AndTheMeanSquaredNormOfAWhitenedVector()
    {
        var sample = Sample(1);
        var map = RandomFeatureWhitening.FromSample(sample, N, D, M);
        Assert.Equal(D, map.InputLength);
        Assert.Equal(D + M, map.Length);
        var output = map.Apply(sample, N);
        Assert.Equal(N * (D + M), output.Length);
        Assert.Equal(D + M, output.Sum(v => (double)v * v) / N, (D + M) * 1e-3);
    }

    [Fact]
    public void Apply_TreatsRowsIndependently_AcrossChunks()
    {
        // 3,000 rows run in two chunks; the rows of a split call must come out the same.
        var sample = Sample(2);
        var map = RandomFeatureWhitening.FromSample(sample, N, D, M);
        var whole = map.Apply(sample, N);
        var head = map.Apply(sample[..(1000 * D)], 1000);
        var tail = map.Apply(sample[(1000 * D)..], N - 1000);
        var split = head.Concat(tail).ToArray();
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], split[i], 1e-5f * (1 + Math.Abs(whole[i]))); // GEMM blocking may round differently
        }
        Assert.Equal(whole, RandomFeatureWhitening.FromSample(sample, N, D, M).Apply(sample, N)); // seeded projection
    }

    [Fact]
    public void ALinearFitOnTheWidenedFeatures_CapturesAnEvenFunction_ThatThePlainWhitenedFeaturesCannot()
    {
        // t = |x₀| is uncorrelated with every linear function of a centred Gaussian x; a linear fit on
        // plain whitened features explains almost none of it (the negative control), one on the
        // widened features a good part (the ReLU features bend).
        var sample = Sample(3);
        var target = Enumerable.Range(0, N).Select(r => Math.Abs((double)sample[r * D])).ToArray();
        var plain = ScatterWhitening.FromSecondMoment(ScatterWhitening.SecondMoment(sample, N, D), D).Apply(sample, N);
        var wide = RandomFeatureWhitening.FromSample(sample, N, D, M).Apply(sample, N);
        var plainR2 = ExplainedVariance(plain, D, target);
        var wideR2 = ExplainedVariance(wide, D + M, target);
        Assert.True(plainR2 < 0.05, $"plain whitened features explain {plainR2:F3} of |x₀|");
        Assert.True(wideR2 > 0.3, $"widened features explain only {wideR2:F3} of |x₀|");
    }

    [Fact]
    public void FromSample_RefusesMismatchedSizes() =>
        Assert.Throws<ArgumentException>(() => RandomFeatureWhitening.FromSample(new float[10], 3, D, M));

    // R² of the least-squares fit of t on [features, 1] (normal equations through the Cholesky factor).
    private static double ExplainedVariance(float[] features, int d, double[] t)
    {
        var k = d + 1;
        var gram = new double[k * k];
        var rhs = new double[k];
        var row = new double[k];
        for (var r = 0; r < N; r++)
        {
            for (var c = 0; c < d; c++)
            {
                row[c] = features[r * d + c];
            }
            row[d] = 1;
            for (var i = 0; i < k; i++)
            {
                rhs[i] += row[i] * t[r];
                for (var j = 0; j < k; j++)
                {
                    gram[i * k + j] += row[i] * row[j];
                }
            }
        }
        for (var i = 0; i < k; i++)
        {
            gram[i * k + i] += 1e-6 * N;
        }
        var inverse = ScatterWhitening.InvertLower(ScatterWhitening.Cholesky(gram, k), k);
        var half = new double[k]; // L⁻¹·b, then w = L⁻ᵀ·(L⁻¹·b)
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                half[i] += inverse[i * k + j] * rhs[j];
            }
        }
        var w = new double[k];
        for (var i = 0; i < k; i++)
        {
            for (var j = i; j < k; j++)
            {
                w[i] += inverse[j * k + i] * half[j];
            }
        }
        double mean = t.Average(), total = 0, residual = 0;
        for (var r = 0; r < N; r++)
        {
            var fit = w[d];
            for (var c = 0; c < d; c++)
            {
                fit += w[c] * features[r * d + c];
            }
            total += (t[r] - mean) * (t[r] - mean);
            residual += (t[r] - fit) * (t[r] - fit);
        }
        return 1 - residual / total;
    }
}
