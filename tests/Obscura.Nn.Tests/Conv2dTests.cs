using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class Conv2dTests
{
    private const double ForwardTolerance = 1e-4;

    // (inC, outC, kernel, stride, padding, H, W)
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1, 0, 1, 1 },
        { 2, 3, 3, 1, 1, 5, 5 },
        { 3, 4, 3, 2, 1, 7, 6 },
        { 2, 2, 2, 2, 0, 6, 9 },
        { 1, 4, 8, 2, 2, 12, 11 },
        { 3, 2, 5, 3, 2, 9, 5 },
        { 4, 5, 1, 1, 0, 3, 4 },
        { 2, 3, 3, 1, 2, 4, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_AnyStrideAndPadding_EqualsNaiveDirectConvolution(int inC, int outC, int k, int stride, int pad, int h, int w)
    {
        var rng = new Random(11);
        var layer = new Conv2d(inC, outC, k, stride, pad, rng);
        var x = TestData.Random(rng, 3, inC, h, w);
        var y = layer.Forward(x);
        var expected = NaiveConv(x, layer.Weight.Value, layer.Bias!.Value, stride, pad);
        Assert.Equal(expected.Shape.ToArray(), y.Shape.ToArray());
        var ys = y.Span;
        var es = expected.Span;
        for (var i = 0; i < es.Length; i++)
        {
            Assert.True(Math.Abs(es[i] - ys[i]) <= ForwardTolerance * (1 + Math.Abs(es[i])), $"y[{i}]: expected {es[i]}, got {ys[i]}.");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_AnyStrideAndPadding_MatchesCentralDifferences(int inC, int outC, int k, int stride, int pad, int h, int w)
    {
        var rng = new Random(12);
        var layer = new Conv2d(inC, outC, k, stride, pad, rng);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, inC, h, w));
    }

    [Fact]
    public void Backward_WithoutBias_MatchesCentralDifferences()
    {
        var rng = new Random(13);
        var layer = new Conv2d(3, 4, 3, 2, 1, rng, bias: false);
        Assert.Single(layer.Parameters);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, 3, 6, 7));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    public void PerExampleQuantities_MatchBatchOfOneLoop(int views, bool bias)
    {
        var rng = new Random(14);
        // T = 9 positions, O·d = 4·27: Auto goes ghost for K = 1 and materialises for K = 3.
        var layer = new Conv2d(3, 4, 3, 2, 1, rng, bias);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 4 * views, 3, 5, 6), views);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleQuantities_LargeKernelNonSquare_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(15);
        var layer = new Conv2d(1, 3, 8, 2, 2, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 3 * views, 1, 12, 10), views);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PerExampleQuantities_TanhCnnFirstLayer_KeptExampleGradientsMatchBatchOfOneLoop(int views)
    {
        // Large T, small O·d: the materialised norm keeps every G_i and the clipped sum reuses them.
        var rng = new Random(18);
        var layer = new Conv2d(1, 16, 8, 2, 3, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 3 * views, 1, 28, 28), views);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PerExampleQuantities_PerExampleGemmPath_KeptExampleGradientsMatchBatchOfOneLoop(int views)
    {
        // K·T·O·d ≥ 4·65536: G_i from one GEMM per example (not the register kernel), kept since O ≤ K·T.
        var rng = new Random(20);
        var layer = new Conv2d(16, 32, 3, 1, 1, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 3 * views, 16, 12, 12), views);
        Assert.True(layer.HasKeptGradients);
    }

    [Fact]
    public void PerExampleQuantities_ManyExamplesSplitAcrossThreads_MatchBatchOfOneLoop()
    {
        // 24 examples of small per-example GEMMs: the norm loop runs on several threads.
        var rng = new Random(19);
        var layer = new Conv2d(4, 8, 3, 1, 1, rng);
        TestData.RandomiseParameters(layer, rng);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 24, 4, 6, 6), 1);
    }

    [Fact]
    public void Backward_WhenInputGradientNotNeeded_StillGivesWeightGradient()
    {
        var rng = new Random(16);
        var layer = new Conv2d(2, 3, 3, 1, 1, rng) { NeedsInputGradient = false };
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, 2, 5, 5));
    }

    [Fact]
    public void Forward_BatchSizeChanges_ReusesBuffersAndStaysCorrect()
    {
        var rng = new Random(17);
        var layer = new Conv2d(2, 3, 3, 1, 1, rng);
        foreach (var n in new[] { 4, 1, 0, 3 })
        {
            var x = TestData.Random(rng, n, 2, 5, 4);
            var y = layer.Forward(x);
            var expected = NaiveConv(x, layer.Weight.Value, layer.Bias!.Value, 1, 1);
            Assert.Equal(expected.Shape.ToArray(), y.Shape.ToArray());
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected.Span[i] - y.Span[i]) <= ForwardTolerance * (1 + Math.Abs(expected.Span[i])));
            }
            layer.Backward(TestData.Random(rng, y.Shape.ToArray()));
        }
    }

    [Fact]
    public void GradientCheck_DeliberatelyWrongInputGradient_IsCaught()
    {
        var rng = new Random(18);
        var broken = new BrokenInputGradient(new Conv2d(2, 3, 3, 1, 1, rng));
        Assert.True(GradientCheck.WorstRatio(broken, TestData.Random(rng, 2, 2, 5, 5)) > 1.0);
    }

    [Fact]
    public void Forward_WrongChannelCount_ThrowsNamingTheShapes()
    {
        var layer = new Conv2d(3, 4, 3, 1, 1, new Random(1));
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 2, 5, 5)));
        Assert.Contains("[2, 2, 5, 5]", e.Message);
    }

    /// <summary>y[n, o, i, j] = b[o] + Σ x[n, c, i·s − p + a, j·s − p + b]·W[o, c, a, b], in double.</summary>
    internal static Tensor NaiveConv(Tensor x, Tensor weight, Tensor? bias, int stride, int pad)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3), o = weight.Dim(0), k = weight.Dim(2);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        var y = new Tensor(n, o, oh, ow);
        var xs = x.Span;
        var ws = weight.Span;
        var ys = y.Span;
        for (var b = 0; b < n; b++)
        {
            for (var q = 0; q < o; q++)
            {
                for (var i = 0; i < oh; i++)
                {
                    for (var j = 0; j < ow; j++)
                    {
                        double sum = bias is null ? 0 : bias.Span[q];
                        for (var ch = 0; ch < c; ch++)
                        {
                            for (var a = 0; a < k; a++)
                            {
                                for (var e = 0; e < k; e++)
                                {
                                    int ih = i * stride - pad + a, iw = j * stride - pad + e;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                    {
                                        sum += (double)xs[((b * c + ch) * h + ih) * w + iw] * ws[((q * c + ch) * k + a) * k + e];
                                    }
                                }
                            }
                        }
                        ys[((b * o + q) * oh + i) * ow + j] = (float)sum;
                    }
                }
            }
        }
        return y;
    }

    /// <summary>Negative control: a conv whose input gradient is off by 10 % in one coordinate family.</summary>
    private sealed class BrokenInputGradient(Conv2d inner) : Layer
    {
        public override Tensor Forward(Tensor x) => inner.Forward(x);

        public override Tensor Backward(Tensor dy)
        {
            var dx = inner.Backward(dy);
            var s = dx.Span;
            for (var i = 0; i < s.Length; i += 2)
            {
                s[i] *= 1.1f;
                s[i] += 0.05f;
            }
            return dx;
        }

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inner.OutputShape(inputShape);

        public override IEnumerable<Layer> Children => [inner];
    }
}
