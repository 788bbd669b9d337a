using Obscura.Privacy.Randomness;
using Obscura.Privacy.Sampling;
using Obscura.PrivacyParts.Tests.Support;

namespace Obscura.PrivacyParts.Tests;

public class PoissonSamplerTests
{
    private const int DatasetSize = 10_000;
    private const double SamplingRate = 0.05;
    private const int Batches = 1_000;

    [Fact]
    public void BatchSizes_OverManyBatches_HaveBinomialMeanAndVariance()
    {
        var sampler = new PoissonSampler(DatasetSize, SamplingRate, new SeededRandomSource(11));
        var sizes = new double[Batches];
        for (int b = 0; b < Batches; b++)
        {
            sizes[b] = sampler.Sample().Length;
        }
        double mean = sizes.Average();
        double variance = sizes.Sum(s => (s - mean) * (s - mean)) / (Batches - 1);
        double expectedMean = SamplingRate * DatasetSize;
        double expectedVariance = DatasetSize * SamplingRate * (1 - SamplingRate);

        double meanZ = (mean - expectedMean) / Math.Sqrt(expectedVariance / Batches);
        // Batch sizes are nearly normal (qN = 500), so Var[s²] ≈ 2σ⁴/(B − 1).
        double varianceZ = (variance - expectedVariance) / (expectedVariance * Math.Sqrt(2.0 / (Batches - 1)));
        Assert.InRange(meanZ, -Tolerances.ZScore, Tolerances.ZScore);
        Assert.InRange(varianceZ, -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Fact]
    public void InclusionFrequency_OfEveryIndex_MatchesSamplingRate()
    {
        var sampler = new PoissonSampler(DatasetSize, SamplingRate, new SeededRandomSource(12));
        var counts = new int[DatasetSize];
        for (int b = 0; b < Batches; b++)
        {
            foreach (int i in sampler.Sample())
            {
                counts[i]++;
            }
        }
        double expected = Batches * SamplingRate;
        double sd = Math.Sqrt(Batches * SamplingRate * (1 - SamplingRate));
        // Each count is Binomial(B, q): no index may stray beyond 6 sd (family-wise ≈ 2e-5) ...
        Assert.All(counts, c => Assert.InRange((c - expected) / sd, -6.0, 6.0));
        // ... and together they must fit: Σ z² is ≈ χ² with N degrees of freedom.
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected)) / (sd * sd);
        double chiZ = (chiSquare - DatasetSize) / Math.Sqrt(2.0 * DatasetSize);
        Assert.InRange(chiZ, -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Fact]
    public void TinyExpectedBatch_ProducesEmptyBatches_AsEmptyArrays()
    {
        // qN = 0.1: P[empty] = 0.999^100 ≈ 0.905.
        var sampler = new PoissonSampler(100, 0.001, new SeededRandomSource(13));
        int empty = 0;
        for (int b = 0; b < 1_000; b++)
        {
            int[] batch = sampler.Sample();
            Assert.NotNull(batch);
            if (batch.Length == 0)
            {
                empty++;
            }
        }
        double expected = 1_000 * Math.Pow(0.999, 100);
        Assert.InRange((empty - expected) / Math.Sqrt(expected * (1 - expected / 1_000)), -Tolerances.ZScore, Tolerances.ZScore);

        Span<int> buffer = new int[100];
        int emptyFromSpan = 0;
        for (int b = 0; b < 100; b++)
        {
            emptyFromSpan += sampler.Sample(buffer) == 0 ? 1 : 0;
        }
        Assert.True(emptyFromSpan > 0);
    }

    [Fact]
    public void Indices_InEveryBatch_AreSortedUniqueAndInRange()
    {
        var sampler = new PoissonSampler(500, 0.3, new SeededRandomSource(14));
        for (int b = 0; b < 200; b++)
        {
            int[] batch = sampler.Sample();
            for (int j = 0; j < batch.Length; j++)
            {
                Assert.InRange(batch[j], 0, 499);
                if (j > 0)
                {
                    Assert.True(batch[j] > batch[j - 1], "indices must be strictly increasing");
                }
            }
        }
    }

    [Fact]
    public void SameSeed_GivesSameBatches()
    {
        var a = new PoissonSampler(1_000, 0.02, new SeededRandomSource(5));
        var b = new PoissonSampler(1_000, 0.02, new SeededRandomSource(5));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(a.Sample(), b.Sample());
        }
    }

    [Fact]
    public void SamplingRateOfOne_IncludesEveryExample()
    {
        var sampler = new PoissonSampler(50, 1.0, new SeededRandomSource(6));
        Assert.Equal(Enumerable.Range(0, 50), sampler.Sample());
    }

    [Fact]
    public void Sample_IntoShortDestination_ThrowsNamingTheDatasetSize()
    {
        var sampler = new PoissonSampler(10, 0.5, new SeededRandomSource(7));
        var e = Assert.Throws<ArgumentException>(() => sampler.Sample(new int[9]));
        Assert.Contains("10", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_InvalidSamplingRate_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSampler(10, rate, new SeededRandomSource(1)));
    }

    [Fact]
    public void CryptoSource_DrivesSampler_WithSensibleBatchSizes()
    {
        var sampler = new PoissonSampler(60_000, 256.0 / 60_000, new CryptoRandomSource());
        Assert.True(sampler.UsesCryptographicRandomness);
        Assert.False(new PoissonSampler(10, 0.5, new SeededRandomSource(1)).UsesCryptographicRandomness);
        int size = sampler.Sample().Length;
        Assert.InRange(size, 256 - 5 * 16, 256 + 5 * 16);
    }
}
