using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;

namespace Obscura.Nn.Tests;

public class GroupNormTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(6, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, false)]
    public void Backward_ImageInput_MatchesCentralDifferences(int groups, bool affine)
    {
        var rng = new Random(10 + groups);
        var layer = new GroupNorm(groups, 6, affine);
        TestData.RandomiseParameters(layer, rng, 1f);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, 6, 3, 3));
    }

    [Fact]
    public void Backward_FlatInput_MatchesCentralDifferences()
    {
        var rng = new Random(11);
        var layer = new GroupNorm(2, 8);
        TestData.RandomiseParameters(layer, rng, 1f);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 3, 8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleQuantities_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(12);
        var layer = new GroupNorm(2, 4);
        TestData.RandomiseParameters(layer, rng, 1f);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 4 * views, 4, 3, 2), views);
    }

    [Fact]
    public void Forward_EachGroupOfEachExample_HasZeroMeanAndUnitVariance()
    {
        var rng = new Random(13);
        var layer = new GroupNorm(2, 4, affine: false);
        var x = TestData.Random(rng, 3, 4, 5, 5);
        var y = layer.Forward(x).Span;
        const int groupSize = 2 * 25;
        for (var ng = 0; ng < 3 * 2; ng++)
        {
            var group = y.Slice(ng * groupSize, groupSize);
            double mean = 0, square = 0;
            foreach (var v in group)
            {
                mean += v;
                square += (double)v * v;
            }
            mean /= groupSize;
            Assert.Equal(0.0, mean, 1e-5);
            Assert.Equal(1.0, square / groupSize - mean * mean, 1e-3);
        }
    }

    [Fact]
    public void Forward_OneExample_DoesNotDependOnTheOthersInTheBatch()
    {
        var rng = new Random(14);
        var layer = new GroupNorm(2, 4);
        TestData.RandomiseParameters(layer, rng, 1f);
        var x = TestData.Random(rng, 3, 4, 2, 2);
        var alone = layer.Forward(PerExampleOracle.Slice(x, 1, 1)).Span.ToArray();
        var inBatch = layer.Forward(x).Item(1).ToArray();
        Assert.Equal(alone, inBatch);
    }

    [Fact]
    public void NonAffine_HasNoParameters()
    {
        var layer = new GroupNorm(3, 9, affine: false);
        Assert.Empty(layer.AllParameters());
        Assert.Null(layer.Weight);
    }

    [Fact]
    public void Constructor_ChannelsNotDivisibleByGroups_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6));
        Assert.Contains("groups (4)", error.Message);
    }
}
