using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class PoolingTests
{
    // (kernel, stride, H, W)
    public static TheoryData<int, int, int, int> Windows => new()
    {
        { 2, 2, 4, 4 },
        { 2, 1, 5, 4 },
        { 3, 2, 7, 6 },
        { 3, 1, 3, 5 },
        { 1, 1, 2, 3 },
        { 2, 3, 8, 7 },
        { 2, 1, 11, 19 },
        { 3, 1, 6, 12 },
        { 2, 1, 13, 13 },
        { 2, 1, 5, 5 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolForward_AnyWindowAndStride_EqualsNaiveWindowMaximum(int k, int s, int h, int w)
    {
        var x = Distinct(new Random(1), 2, 3, h, w);
        var y = new MaxPool2d(k, s).Forward(x);
        AssertEqual(Naive(x, k, s, max: true), y);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AvgPoolForward_AnyWindowAndStride_EqualsNaiveWindowMean(int k, int s, int h, int w)
    {
        var x = TestData.Random(new Random(2), 2, 3, h, w);
        var y = new AvgPool2d(k, s).Forward(x);
        AssertEqual(Naive(x, k, s, max: false), y);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolBackward_AnyWindowAndStride_MatchesCentralDifferences(int k, int s, int h, int w)
    {
        // Values at least 0.05 apart, so the ±0.01 probe never changes which input wins a window.
        GradientCheck.AssertMatches(new MaxPool2d(k, s), Distinct(new Random(3), 2, 2, h, w));
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AvgPoolBackward_AnyWindowAndStride_MatchesCentralDifferences(int k, int s, int h, int w)
    {
        GradientCheck.AssertMatches(new AvgPool2d(k, s), TestData.Random(new Random(4), 2, 2, h, w));
    }

    [Fact]
    public void GlobalAvgPool_ForwardIsPlaneMean_AndBackwardMatchesCentralDifferences()
    {
        var rng = new Random(5);
        var x = TestData.Random(rng, 3, 4, 5, 3);
        var layer = new GlobalAvgPool2d();
        var y = layer.Forward(x);
        Assert.Equal(new[] { 3, 4 }, y.Shape.ToArray());
        AssertEqual(Naive(x, 0, 0, max: false, global: true), y);
        GradientCheck.AssertMatches(layer, x);
    }

    [Fact]
    public void MaxPool_OverlappingWindows_AccumulateGradientAtSharedMaximum()
    {
        // One large value in the centre of a 3×3 plane wins all four 2×2 stride-1 windows.
        var x = Tensor.FromArray([0, 0, 0, 0, 9, 0, 0, 0, 0], 1, 1, 3, 3);
        var layer = new MaxPool2d(2, 1);
        layer.Forward(x);
        var dx = layer.Backward(Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2));
        Assert.Equal(new float[] { 0, 0, 0, 0, 10, 0, 0, 0, 0 }, dx.Span.ToArray());
    }

    [Fact]
    public void TanhCnnPoolingShapes_AreAsPublished()
    {
        Assert.Equal(new[] { 16, 12, 12 }, new MaxPool2d(2, 1).OutputShape([16, 13, 13]));
        Assert.Equal(new[] { 32, 4, 4 }, new MaxPool2d(2, 1).OutputShape([32, 5, 5]));
        Assert.Equal(new[] { 8, 4, 3 }, new AvgPool2d(2, 2).OutputShape([8, 9, 7]));
        Assert.Equal(new[] { 8 }, new GlobalAvgPool2d().OutputShape([8, 9, 7]));
    }

    private static Tensor Distinct(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        var order = Enumerable.Range(0, t.Length).OrderBy(_ => rng.Next()).ToArray();
        for (var i = 0; i < t.Length; i++)
        {
            t.Span[i] = 0.05f * (order[i] - t.Length / 2);
        }
        return t;
    }

    private static Tensor Naive(Tensor x, int k, int s, bool max, bool global = false)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        if (global)
        {
            (k, s) = (h, 1);
        }
        int kh = global ? h : k, kw = global ? w : k;
        int oh = (h - kh) / s + 1, ow = (w - kw) / s + 1;
        var y = global ? new Tensor(n, c) : new Tensor(n, c, oh, ow);
        var i = 0;
        for (var p = 0; p < n * c; p++)
        {
            for (var r = 0; r < oh; r++)
            {
                for (var q = 0; q < ow; q++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (var a = 0; a < kh; a++)
                    {
                        for (var b = 0; b < kw; b++)
                        {
                            double v = x.Span[(p * h + r * s + a) * w + q * s + b];
                            acc = max ? Math.Max(acc, v) : acc + v;
                        }
                    }
                    y.Span[i++] = (float)(max ? acc : acc / (kh * kw));
                }
            }
        }
        return y;
    }

    private static void AssertEqual(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected.Span[i] - actual.Span[i]) <= 1e-5 * (1 + Math.Abs(expected.Span[i])), $"[{i}]: expected {expected.Span[i]}, got {actual.Span[i]}.");
        }
    }
}
