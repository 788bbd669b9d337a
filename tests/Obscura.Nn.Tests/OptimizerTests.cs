using Obscura.Nn.Optimizers;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class OptimizerTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Sgd_MomentumAndWeightDecay_MatchesHandComputedSteps()
    {
        // p0 = [1, −2], g = [0.5, 0.25] each step, η = 0.1, μ = 0.9, λ = 0.01.
        // Step 1: g' = g + λp = [0.51, 0.23], v = g', p = p − ηv = [0.949, −2.023].
        // Step 2: g' = [0.50949, 0.22977], v = 0.9·[0.51, 0.23] + g' = [0.96849, 0.43677],
        //         p = [0.852151, −2.066677]. Step 3 likewise.
        var p = NewParameter();
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.01f);
        double[][] expected = [[0.949, -2.023], [0.852151, -2.066677], [0.714134749, -2.128919623]];
        foreach (var step in expected)
        {
            SetGradient(p);
            sgd.Step();
            AssertValues(step, p);
        }
        Assert.Equal("w.momentum", Assert.Single(sgd.State).Name);
    }

    [Fact]
    public void SgdNesterov_MatchesHandComputedSteps()
    {
        // η = 0.1, μ = 0.9, g = [0.5, 0.25]. Step 1: v = g, update g + μv = 1.9g, p = [0.905, −2.0475].
        // Step 2: v = 1.9g, update g + 0.9·1.9g = 2.71g, p = [0.7695, −2.11525].
        var p = NewParameter();
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f, nesterov: true);
        double[][] expected = [[0.905, -2.0475], [0.7695, -2.11525]];
        foreach (var step in expected)
        {
            SetGradient(p);
            sgd.Step();
            AssertValues(step, p);
        }
    }

    [Fact]
    public void Adam_ConstantGradientWithoutDecay_MovesByTheLearningRateEachStep()
    {
        // With bias correction, m̂ = g and v̂ = g² for a constant g, so each step is η·sign(g);
        // without it the first step would be √(1−β2)/(1−β1)·η ≈ 0.32η.
        var p = NewParameter();
        var adam = new Adam([p], learningRate: 0.1f);
        double[][] expected = [[0.9, -2.1], [0.8, -2.2], [0.7, -2.3]];
        foreach (var step in expected)
        {
            SetGradient(p);
            adam.Step();
            AssertValues(step, p);
        }
        Assert.Equal(3, adam.Steps);
    }

    [Fact]
    public void Adam_WithWeightDecay_MatchesHandComputedSteps()
    {
        // η = 0.1, β = (0.9, 0.999), ε = 1e-8, λ = 0.1, g = [0.5, 0.25] + λp each step;
        // expected values from the update rule in double (see the class documentation).
        var p = NewParameter();
        var adam = new Adam([p], learningRate: 0.1f, weightDecay: 0.1f);
        double[][] expected = [[0.9000000016666666, -2.099999980000004], [0.8000473404883316, -2.198812538982845], [0.700174574814119, -2.295128687035836]];
        foreach (var step in expected)
        {
            SetGradient(p);
            adam.Step();
            AssertValues(step, p);
        }
    }

    [Fact]
    public void Optimizers_FrozenParameter_IsNotUpdatedAndHasNoState()
    {
        var frozen = NewParameter();
        frozen.Trainable = false;
        var trained = new Parameter("u", Tensor.FromArray([1f, -2f], 2));
        SetGradient(frozen);
        SetGradient(trained);
        IOptimizer[] optimizers = [new Sgd([frozen, trained], 0.1f, momentum: 0.5f), new Adam([frozen, trained], 0.1f)];
        foreach (var optimizer in optimizers)
        {
            optimizer.Step();
            Assert.DoesNotContain(optimizer.State, s => s.Name.StartsWith("w.", StringComparison.Ordinal));
        }
        AssertValues([1, -2], frozen);
        Assert.NotEqual(1f, trained.Value.Span[0]);
    }

    [Fact]
    public void Adam_StateCopiedIntoAFreshOptimizer_ResumesExactly()
    {
        var p = NewParameter();
        var adam = new Adam([p], learningRate: 0.05f, weightDecay: 0.01f);
        for (var i = 0; i < 2; i++)
        {
            SetGradient(p);
            adam.Step();
        }
        var copy = new Parameter("w", p.Value.Clone());
        var resumed = new Adam([copy], learningRate: 0.05f, weightDecay: 0.01f);
        foreach (var ((name, source), (targetName, target)) in adam.State.Zip(resumed.State))
        {
            Assert.Equal(name, targetName);
            source.Span.CopyTo(target.Span);
        }
        SetGradient(p);
        SetGradient(copy);
        adam.Step();
        resumed.Step();
        Assert.Equal(p.Value.Span.ToArray(), copy.Value.Span.ToArray());
        Assert.Equal(["step", "w.m", "w.v"], resumed.State.Select(s => s.Name));
    }

    private static Parameter NewParameter() => new("w", Tensor.FromArray([1f, -2f], 2));

    private static void SetGradient(Parameter p)
    {
        p.Grad.Span[0] = 0.5f;
        p.Grad.Span[1] = 0.25f;
    }

    private static void AssertValues(double[] expected, Parameter p)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - p.Value.Span[i]) <= Tolerance, $"{p.Name}[{i}]: expected {expected[i]}, got {p.Value.Span[i]}.");
        }
    }
}
