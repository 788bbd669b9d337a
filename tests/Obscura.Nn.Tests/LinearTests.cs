using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;

namespace Obscura.Nn.Tests;

public class LinearTests
{
    [Fact]
    public void Backward_RandomInput_MatchesCentralDifferences()
    {
        var rng = new Random(3);
        var layer = new Linear(7, 5, rng);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 4, 7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleQuantities_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(4);
        var layer = new Linear(6, 4, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 5 * views, 6), views);
    }
}
