using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class ActivationTests
{
    [Fact]
    public void TanhBackward_RandomInput_MatchesCentralDifferences()
    {
        var rng = new Random(20);
        GradientCheck.AssertMatches(new Tanh(), TestData.Random(rng, 3, 2, 4, 4));
    }

    [Fact]
    public void ReluBackward_InputsAwayFromTheKink_MatchesCentralDifferences()
    {
        var rng = new Random(21);
        var x = TestData.Random(rng, 4, 10);
        var xs = x.Span;
        for (var i = 0; i < xs.Length; i++)
        {
            // |x| ≥ 0.1 keeps x ± Step on one side of 0.
            xs[i] = MathF.CopySign(0.1f + MathF.Abs(xs[i]), xs[i]);
        }
        GradientCheck.AssertMatches(new Relu(), x);
    }

    [Fact]
    public void FlattenBackward_RandomInput_MatchesCentralDifferences()
    {
        var rng = new Random(22);
        GradientCheck.AssertMatches(new Flatten(), TestData.Random(rng, 2, 3, 2, 2));
    }

    [Fact]
    public void Flatten_ImageBatch_GivesRowsOfAllValuesWithoutCopying()
    {
        var x = TestData.Random(new Random(23), 2, 3, 4, 5);
        var layer = new Flatten();
        var y = layer.Forward(x);
        Assert.Equal([2, 60], y.Shape.ToArray());
        Assert.Same(x.Data, y.Data);
        Assert.Same(y, layer.Forward(x));
        Assert.Equal([2, 3, 4, 5], layer.Backward(y).Shape.ToArray());
        Assert.Equal([60], layer.OutputShape([3, 4, 5]));
    }

    [Fact]
    public void Backward_WhenInputGradientIsNotNeeded_LeavesItUncomputed()
    {
        var x = Tensor.FromArray([1f, -2f, 3f, -4f], 1, 4);
        var dy = Tensor.FromArray([1f, 1f, 1f, 1f], 1, 4);
        foreach (Layer layer in new Layer[] { new Tanh(), new Relu() })
        {
            layer.NeedsInputGradient = false;
            layer.Forward(x);
            var dx = layer.Backward(dy);
            Assert.Equal([1, 4], dx.Shape.ToArray());
            Assert.All(dx.Span.ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Tanh_LargeInputs_SaturateWithoutOverflow()
    {
        var layer = new Tanh();
        var y = layer.Forward(Tensor.FromArray([-100f, 0f, 100f], 1, 3)).Span.ToArray();
        Assert.Equal([-1f, 0f, 1f], y);
    }
}
