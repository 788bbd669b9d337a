using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class ContainerTests
{
    [Fact]
    public void SequentialOfLinearTanhLinear_Backward_MatchesCentralDifferences()
    {
        var rng = new Random(30);
        var model = new Sequential(new Linear(5, 6, rng), new Tanh(), new Linear(6, 3, rng));
        GradientCheck.AssertMatches(model, TestData.Random(rng, 4, 5));
    }

    [Fact]
    public void SequentialWithGroupNorm_Backward_MatchesCentralDifferences()
    {
        // One group of 6 features: smaller groups of [N, C] features can have nearly equal values,
        // too curved for the float step of 1e-2 (see the GroupNorm double-reference test).
        var rng = new Random(29);
        var model = new Sequential(new Linear(5, 6, rng), new GroupNorm(1, 6), new Tanh(), new Linear(6, 3, rng));
        TestData.RandomiseParameters(model, rng, 1f);
        GradientCheck.AssertMatches(model, TestData.Random(rng, 4, 5));
    }

    [Fact]
    public void Residual_ShortcutGivingAnotherShape_IsRefusedWithBothShapes()
    {
        var rng = new Random(28);
        var block = new Residual(new Linear(4, 3, rng));
        var error = Assert.Throws<ArgumentException>(() => block.Forward(TestData.Random(rng, 2, 4)));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[2, 4]", error.Message);
    }

    [Fact]
    public void ResidualWithIdentityShortcut_Backward_MatchesCentralDifferences()
    {
        var rng = new Random(31);
        var block = new Residual(new Sequential(new Linear(4, 4, rng), new Tanh()));
        GradientCheck.AssertMatches(block, TestData.Random(rng, 3, 4));
    }

    [Fact]
    public void ResidualWithLinearShortcut_Backward_MatchesCentralDifferences()
    {
        var rng = new Random(32);
        var block = new Residual(new Sequential(new Linear(4, 3, rng), new Tanh()), new Linear(4, 3, rng));
        GradientCheck.AssertMatches(block, TestData.Random(rng, 3, 4));
    }

    [Fact]
    public void NegativeControl_BackwardOffByTenPercent_IsCaughtByTheGradientCheck()
    {
        var rng = new Random(33);
        var model = new Sequential(new Linear(5, 6, rng), new WrongTanh(1.1f), new Linear(6, 3, rng));
        Assert.True(GradientCheck.WorstRatio(model, TestData.Random(rng, 4, 5)) > 1.0);
    }

    [Fact]
    public void NegativeControl_CorrectWrapper_PassesTheGradientCheck()
    {
        var rng = new Random(33);
        var model = new Sequential(new Linear(5, 6, rng), new WrongTanh(1f), new Linear(6, 3, rng));
        Assert.True(GradientCheck.WorstRatio(model, TestData.Random(rng, 4, 5)) <= 1.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleNorms_SummedOverGradientSources_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(34);
        var model = new Sequential(new Linear(5, 6, rng), new GroupNorm(2, 6), new Tanh(), new Linear(6, 3, rng));
        TestData.RandomiseParameters(model, rng);
        var examples = 4;
        var x = TestData.Random(rng, examples * views, 5);
        var dy = TestData.Random(rng, examples * views, 3);
        var oracle = PerExampleOracle.Gradients(model, x, dy, views);
        var total = oracle.GetLength(1);

        model.Forward(x);
        model.Backward(dy);
        var sources = model.Descendants().OfType<IGradientSource>().ToList();
        Assert.Equal(3, sources.Count);
        foreach (var method in new[] { NormMethod.Ghost, NormMethod.Materialise })
        {
            var norms = new double[examples];
            foreach (var source in sources)
            {
                source.AddSquaredNorms(norms, views, method);
            }
            for (var i = 0; i < examples; i++)
            {
                double expected = 0;
                for (var j = 0; j < total; j++)
                {
                    expected += (double)oracle[i, j] * oracle[i, j];
                }
                Assert.True(Math.Abs(expected - norms[i]) <= PerExampleOracle.Tolerance * (1 + expected), $"{method} example {i}: expected {expected}, got {norms[i]}.");
            }
        }

        // Per-example gradients of the sources, concatenated in descendant order, are the oracle's rows.
        var offset = 0;
        foreach (var source in sources)
        {
            var width = source.Parameters.Sum(p => p.Length);
            var rows = new float[examples * width];
            source.PerExampleGradients(rows, views);
            for (var i = 0; i < examples; i++)
            {
                for (var j = 0; j < width; j++)
                {
                    Assert.True(Math.Abs(oracle[i, offset + j] - rows[i * width + j]) <= PerExampleOracle.Tolerance * (1 + Math.Abs(oracle[i, offset + j])));
                }
            }
            offset += width;
        }
        Assert.Equal(total, offset);
    }

    [Fact]
    public void Sequential_PositionalAndGivenNames_BecomeDottedParameterPrefixes()
    {
        var rng = new Random(35);
        var positional = new Sequential(new Linear(2, 3, rng), new Tanh(), new GroupNorm(1, 3));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], positional.AllParameters().Select(p => p.Name));

        var named = new Sequential([("body", new Sequential(new Linear(2, 2, rng))), ("head", new Linear(2, 1, rng))]);
        Assert.Equal(["body.0.weight", "body.0.bias", "head.weight", "head.bias"], named.AllParameters().Select(p => p.Name));

        var block = new Residual(new Linear(2, 2, rng), new Linear(2, 2, rng));
        Assert.Equal(["main.weight", "main.bias", "shortcut.weight", "shortcut.bias"], block.AllParameters().Select(p => p.Name));
    }

    [Fact]
    public void Sequential_LayerAlreadyInAModel_IsRefused()
    {
        var shared = new Tanh();
        _ = new Sequential(shared);
        var error = Assert.Throws<ArgumentException>(() => new Sequential(new Relu(), shared));
        Assert.Contains("already a child", error.Message);
    }

    [Fact]
    public void Sequential_RepeatedChildName_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sequential([("a", new Tanh()), ("a", new Relu())]));
        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void Sequential_NotNeedingInputGradient_SkipsTheParameterFreePrefix()
    {
        var rng = new Random(36);
        var front = new CountingLayer();
        var first = new Linear(3, 3, rng);
        var model = new Sequential(front, new GroupNorm(1, 3, affine: false), first, new Tanh(), new Linear(3, 2, rng)) { NeedsInputGradient = false };
        model.Forward(TestData.Random(rng, 2, 3));
        model.Backward(TestData.Random(rng, 2, 2));
        Assert.Equal(0, front.BackwardCalls);
        Assert.False(first.NeedsInputGradient);

        model.NeedsInputGradient = true;
        model.Backward(TestData.Random(rng, 2, 2));
        Assert.Equal(1, front.BackwardCalls);
        Assert.True(first.NeedsInputGradient);
    }

    [Fact]
    public void Sequential_OutputShape_ChainsItsLayers()
    {
        var rng = new Random(37);
        var model = new Sequential(new Flatten(), new Linear(12, 5, rng), new Relu());
        Assert.Equal([5], model.OutputShape([3, 2, 2]));
    }

    [Fact]
    public void ModelValidator_LayerThatMixesExamples_IsRefusedByName()
    {
        var rng = new Random(38);
        var model = new Sequential([("features", new Sequential(new Linear(3, 3, rng), new FakeBatchNorm())), ("head", new Linear(3, 2, rng))]);
        var error = Assert.Throws<NotSupportedException>(() => ModelValidator.Validate(model));
        Assert.Contains("'features.1'", error.Message);
        Assert.Contains("FakeBatchNorm", error.Message);
        Assert.Contains("GroupNorm", error.Message);
    }

    [Fact]
    public void ModelValidator_PerExampleModel_IsAccepted()
    {
        var rng = new Random(39);
        ModelValidator.Validate(new Sequential(new Linear(3, 3, rng), new GroupNorm(1, 3), new Residual(new Tanh())));
    }

    [Fact]
    public void ModelValidator_ParametrisedLayerWithoutPerExampleGradients_IsRefusedByName()
    {
        var model = new Sequential(new Tanh(), new OpaqueLayer());
        var error = Assert.Throws<NotSupportedException>(() => ModelValidator.Validate(model));
        Assert.Contains("'1' (OpaqueLayer)", error.Message);
    }

    /// <summary>Has a parameter but no per-example gradient rule.</summary>
    private sealed class OpaqueLayer : Layer
    {
        private readonly Parameter scale = new("scale", new Tensor(1));

        public override IEnumerable<Parameter> OwnParameters => [scale];

        public override Tensor Forward(Tensor x) => x;

        public override Tensor Backward(Tensor dy) => dy;

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
    }

    /// <summary>Tanh whose backward is multiplied by a factor (1 = correct).</summary>
    private sealed class WrongTanh(float factor) : Layer
    {
        private readonly Tanh inner = new();
        private readonly Tensor grad = new(0);

        public override Tensor Forward(Tensor x) => inner.Forward(x);

        public override Tensor Backward(Tensor dy)
        {
            var dx = inner.Backward(dy);
            grad.Resize(dx.Shape.ToArray());
            System.Numerics.Tensors.TensorPrimitives.Multiply(dx.Span, factor, grad.Span);
            return grad;
        }

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
    }

    /// <summary>Stands in for an imported BatchNorm: only the marker matters to the validator.</summary>
    private sealed class FakeBatchNorm : Layer, IMixesExamples
    {
        public override Tensor Forward(Tensor x) => x;

        public override Tensor Backward(Tensor dy) => dy;

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
    }

    private sealed class CountingLayer : Layer
    {
        public int BackwardCalls { get; private set; }

        public override Tensor Forward(Tensor x) => x;

        public override Tensor Backward(Tensor dy)
        {
            BackwardCalls++;
            return dy;
        }

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
    }
}
