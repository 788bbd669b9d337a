using Obscura.Privacy.Randomness;
using Obscura.Privacy.Sampling;

namespace Obscura.PrivacyParts.Tests;

public class ShuffledBatchSamplerTests
{
    [Fact]
    public void OneEpoch_WithoutDropLast_CoversEveryIndexExactlyOnce()
    {
        var sampler = new ShuffledBatchSampler(103, 10, new SeededRandomSource(3), dropLast: false);
        var seen = new List<int>();
        for (int b = 0; b < sampler.BatchesPerEpoch; b++)
        {
            seen.AddRange(sampler.NextBatch());
        }
        Assert.Equal(11, sampler.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 103), seen.Order());
    }

    [Fact]
    public void WithDropLast_EveryBatchHasTheFixedSize()
    {
        var sampler = new ShuffledBatchSampler(103, 10, new SeededRandomSource(4));
        for (int b = 0; b < 35; b++)
        {
            int[] batch = sampler.NextBatch();
            Assert.Equal(10, batch.Length);
            Assert.Equal(10, batch.Distinct().Count());
        }
    }

    [Fact]
    public void IsNotCoveredByThePoissonAccountant()
    {
        Assert.False(ShuffledBatchSampler.IsCoveredByPoissonAccountant);
    }

    [Fact]
    public void ConsecutiveEpochs_UseDifferentPermutations()
    {
        var sampler = new ShuffledBatchSampler(50, 50, new SeededRandomSource(5));
        Assert.NotEqual(sampler.NextBatch(), sampler.NextBatch());
    }
}
