using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class WsConv2dTests
{
    // (inC, outC, kernel, stride, padding, H, W)
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        { 2, 3, 3, 1, 1, 5, 5 },
        { 3, 4, 3, 2, 1, 7, 6 },
        { 5, 2, 1, 1, 0, 3, 4 },
        { 1, 2, 4, 2, 0, 8, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_EqualsNaiveConvolutionWithStandardisedWeights(int inC, int outC, int k, int stride, int pad, int h, int w)
    {
        var rng = new Random(21);
        var layer = new WsConv2d(inC, outC, k, stride, pad, rng);
        TestData.RandomiseParameters(layer, rng);
        var x = TestData.Random(rng, 2, inC, h, w);
        var y = layer.Forward(x);
        var expected = Conv2dTests.NaiveConv(x, Standardised(layer.Weight.Value), layer.Bias!.Value, stride, pad);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected.Span[i] - y.Span[i]) <= 1e-4 * (1 + Math.Abs(expected.Span[i])), $"y[{i}]: expected {expected.Span[i]}, got {y.Span[i]}.");
        }
    }

    [Fact]
    public void StandardisedWeight_HasZeroMeanAndUnitVarianceUpToEpsilonPerOutputChannel()
    {
        var rng = new Random(22);
        var layer = new WsConv2d(3, 4, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        layer.Forward(TestData.Random(rng, 1, 3, 4, 4));
        var n = 27;
        for (var o = 0; o < 4; o++)
        {
            var row = layer.StandardisedWeight.Span.Slice(o * n, n).ToArray().Select(v => (double)v).ToArray();
            var raw = layer.Weight.Value.Span.Slice(o * n, n).ToArray().Select(v => (double)v).ToArray();
            var variance = raw.Select(v => (v - raw.Average()) * (v - raw.Average())).Average();
            Assert.True(Math.Abs(row.Average()) < 1e-6);
            Assert.True(Math.Abs(row.Select(v => v * v).Average() - variance / (variance + WsConv2d.Epsilon)) < 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_ThroughStandardisation_MatchesCentralDifferences(int inC, int outC, int k, int stride, int pad, int h, int w)
    {
        var rng = new Random(23);
        var layer = new WsConv2d(inC, outC, k, stride, pad, rng);
        // Weights of spread ~0.3, so the ±0.01 probe stays in the region where Ŵ is close to linear.
        TestData.RandomiseParameters(layer, rng);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, inC, h, w));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    public void PerExampleQuantities_MatchBatchOfOneLoop(int views, bool bias)
    {
        var rng = new Random(24);
        // T = 9, O·d = 4·27: Auto goes ghost for K = 1 and materialises for K = 3.
        var layer = new WsConv2d(3, 4, 3, 2, 1, rng, bias);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 4 * views, 3, 5, 6), views);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleQuantities_WideLayerSmallImage_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(25);
        var layer = new WsConv2d(6, 8, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 3 * views, 6, 3, 2), views);
    }

    [Fact]
    public void PerExampleQuantities_ManyExamplesSplitAcrossThreads_MatchBatchOfOneLoop()
    {
        // 24 examples of small per-example GEMMs: the norm loop runs on several threads.
        var rng = new Random(19);
        var layer = new WsConv2d(4, 8, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 24, 4, 6, 6), 1);
    }

    [Fact]
    public void Parameters_AreTheRawWeightAndTheBias()
    {
        var layer = new WsConv2d(2, 3, 3, 1, 1, new Random(26));
        Assert.Equal(new[] { layer.Weight, layer.Bias! }, layer.Parameters);
        Assert.Equal(new[] { 3, 2, 3, 3 }, layer.Weight.Value.Shape.ToArray());
    }

    private static Tensor Standardised(Tensor weight)
    {
        var result = weight.Clone();
        var n = weight.ItemLength;
        for (var o = 0; o < weight.Dim(0); o++)
        {
            var row = weight.Item(o).ToArray().Select(v => (double)v).ToArray();
            var mean = row.Average();
            var variance = row.Select(v => (v - mean) * (v - mean)).Average();
            for (var j = 0; j < n; j++)
            {
                result.Item(o)[j] = (float)((row[j] - mean) / Math.Sqrt(variance + WsConv2d.Epsilon));
            }
        }
        return result;
    }
}
