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

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void ClippedSum_KeptExampleGradients_EqualsBookKeepingGemmAndBatchOfOneLoop(int views, bool bias)
    {
        // T = 36 ≥ O = 8: the materialised norm keeps every Ŵ-space G_i and the clipped sum adds
        // them up; the ghost norm keeps nothing, so the same call then runs the book-keeping GEMM.
        var rng = new Random(27);
        var layer = new WsConv2d(4, 8, 3, 1, 1, rng, bias);
        TestData.RandomiseParameters(layer, rng);
        var x = TestData.Random(rng, 3 * views, 4, 6, 6);
        var dy = TestData.Random(rng, layer.Forward(x).Shape.ToArray());
        var oracle = PerExampleOracle.Gradients(layer, x, dy, views);
        layer.Forward(x);
        layer.Backward(dy);
        float[] scale = [0.3f, 1f, 0.7f];
        var norms = new double[3];

        layer.AddSquaredNorms(norms, views, NormMethod.Ghost);
        Assert.False(layer.HasKeptGradients);
        var gemm = ClippedSum(layer, scale, views);
        layer.AddSquaredNorms(norms, views, NormMethod.Materialise);
        Assert.True(layer.HasKeptGradients);
        var kept = ClippedSum(layer, scale, views);

        for (var j = 0; j < kept.Length; j++)
        {
            double expected = 0;
            for (var i = 0; i < scale.Length; i++)
            {
                expected += scale[i] * oracle[i, j];
            }
            Assert.True(Math.Abs(expected - kept[j]) <= PerExampleOracle.Tolerance * (1 + Math.Abs(expected)), $"kept sum [{j}]: oracle {expected}, got {kept[j]}.");
            Assert.True(Math.Abs(gemm[j] - kept[j]) <= KeptVersusGemmTolerance * (1 + Math.Abs(gemm[j])), $"kept sum [{j}]: GEMM {gemm[j]}, kept {kept[j]}.");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PerExampleQuantities_PerExampleGemmsLargeEnoughForBlasThreads_KeepGradientsAndMatchBatchOfOneLoop(int views)
    {
        // K·T·O·d ≥ 4·65536 per example: one (provider-threaded) GEMM per example, in order, kept.
        var rng = new Random(28);
        var layer = new WsConv2d(16, 32, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 3 * views, 16, 12, 12), views);
        Assert.True(layer.HasKeptGradients);
    }

    [Fact]
    public void PerExampleQuantities_KeptSumOverSeveralBlocksOnSeveralThreads_MatchBatchOfOneLoop()
    {
        // 16 examples of 4,640 kept values: the weighted sum runs in 2,048-value blocks split across threads.
        var rng = new Random(31);
        var layer = new WsConv2d(16, 32, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 16, 16, 6, 6), 1);
        Assert.True(layer.HasKeptGradients);
    }

    [Fact]
    public void KeptGradients_NextForward_AreDiscarded()
    {
        var rng = new Random(29);
        var layer = new WsConv2d(4, 8, 3, 1, 1, rng);
        var x = TestData.Random(rng, 2, 4, 6, 6);
        layer.Backward(TestData.Random(rng, layer.Forward(x).Shape.ToArray()));
        layer.AddSquaredNorms(new double[2], 1, NormMethod.Materialise);
        Assert.True(layer.HasKeptGradients);
        layer.Forward(x);
        Assert.False(layer.HasKeptGradients);
    }

    [Fact]
    public void KeptGradients_MoreChannelsThanPositions_AreNotKept()
    {
        // O = 8 > K·T = 6: keeping G_i would take more memory than the layer's patches.
        var rng = new Random(30);
        var layer = new WsConv2d(6, 8, 3, 1, 1, rng);
        var x = TestData.Random(rng, 2, 6, 3, 2);
        layer.Backward(TestData.Random(rng, layer.Forward(x).Shape.ToArray()));
        layer.AddSquaredNorms(new double[2], 1, NormMethod.Materialise);
        Assert.False(layer.HasKeptGradients);
    }

    [Fact]
    public void Parameters_AreTheRawWeightAndTheBias()
    {
        var layer = new WsConv2d(2, 3, 3, 1, 1, new Random(26));
        Assert.Equal(new[] { layer.Weight, layer.Bias! }, layer.Parameters);
        Assert.Equal(new[] { 3, 2, 3, 3 }, layer.Weight.Value.Shape.ToArray());
    }

    // Same sum in a different order of float additions.
    private const double KeptVersusGemmTolerance = 2e-5;

    // Σ_i s_i g_i over the layer's parameters, flattened in order, from zeroed gradient buffers.
    private static float[] ClippedSum(WsConv2d layer, float[] scale, int views)
    {
        foreach (var p in layer.Parameters)
        {
            p.Grad.Clear();
        }
        layer.AccumulateGradients(scale, views);
        return layer.Parameters.SelectMany(p => p.Grad.Span.ToArray()).ToArray();
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
