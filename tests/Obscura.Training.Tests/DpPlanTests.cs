using Obscura.Privacy;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;
using Obscura.Training;

namespace Obscura.Training.Tests;

public class DpPlanTests
{
    private static DpPlan Plan(PrivacyConfig config, int n = 60000, int batch = 2048, double epochs = 40, IGaussianNoise? noise = null) =>
        DpPlan.Create(config, n, batch, epochs, 26010, new SeededRandomSource(1), noise ?? new SeededGaussianNoise(2));

    [Fact]
    public void TargetEpsilon_CalibratesSigmaWhoseAccountedEpsilonMeetsIt()
    {
        var plan = Plan(new PrivacyConfig(3.0, null, 1e-5, 0.1), noise: new SecureGaussianNoise());
        var epsilon = new PldAccountant().GetEpsilon(plan.EventFor(plan.Steps), 1e-5).Epsilon;
        Assert.InRange(epsilon, 2.95, 3.0);
        Assert.Equal(2048.0 / 60000, plan.SamplingRate, 12);
        Assert.Equal((long)Math.Ceiling(40 * 60000 / 2048.0), plan.Steps);
        Assert.True(plan.AccountedNoiseMultiplier <= plan.NoiseMultiplier);
    }

    [Fact]
    public void Steps_AreThoseObscuraEpsilonAndCalibrateGiveForTheSameNBAndE()
    {
        // 71.68 · 50,000 / 4,096 is 875 in exact arithmetic but a hair above it in doubles.
        Assert.True(71.68 * 50000 / 4096 > 875);
        var plan = Plan(new PrivacyConfig(null, 10, 1e-5, 1.0), n: 50000, batch: 4096, epochs: 71.68);
        Assert.Equal(875, plan.Steps);
        Assert.Equal(TrainingSchedule.FromEpochs(50000, 4096, 71.68).Steps, plan.Steps);
        var config = new TrainConfig("tanh-cnn", "data", 4096, 71.68, new PrivacyConfig(null, 10, 1e-5, 1.0), new PerformanceConfig(256), new OptimizerConfig("sgd", 1, 0, 0, false));
        Assert.Equal(plan.Steps, Trainer.PlannedSteps(config, 50000));
    }

    [Fact]
    public void SamplerAndEvent_UseTheSameSamplingRate()
    {
        var plan = Plan(new PrivacyConfig(null, 1.5, 1e-5, 1.0), n: 10000, batch: 500);
        Assert.Equal(plan.SamplingRate, plan.Sampler.SamplingRate, 15);
        var ev = Assert.IsType<SelfComposedEvent>(plan.EventFor(7));
        var inner = Assert.IsType<PoissonSampledGaussianEvent>(ev.Event);
        Assert.Equal(plan.SamplingRate, inner.SamplingRate, 15);
        Assert.Equal(1.5, inner.NoiseMultiplier);
        Assert.Equal(7, ev.Count);
    }

    [Fact]
    public void DeltaAtLeastOneOverN_IsRefusedUnlessInsisted()
    {
        var e = Assert.Throws<ArgumentException>(() => Plan(new PrivacyConfig(null, 1.0, 1e-3, 1.0), n: 5000, batch: 100));
        Assert.Contains("--delta", e.Message);
        Plan(new PrivacyConfig(null, 1.0, 1e-3, 1.0, AllowLargeDelta: true), n: 5000, batch: 100);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(3.0, 1.0)]
    public void ExactlyOneOfEpsilonAndSigma_IsRequired(double? epsilon, double? sigma) =>
        Assert.Throws<ArgumentException>(() => Plan(new PrivacyConfig(epsilon, sigma, 1e-5, 1.0)));

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveOrInfiniteClipNorm_IsRefused(double clip) =>
        Assert.Contains("--clip-norm", Assert.Throws<ArgumentException>(() => Plan(new PrivacyConfig(null, 1.0, 1e-5, clip))).Message);

    [Fact]
    public void Noise_HasStdSigmaCOverQN_AndIsFreshEachStep()
    {
        // Two-sided test on the sample variance of 200k coordinates: accepts σC/(qN), rejects
        // 2/3 and 3/2 of it (the relative standard error of the sample std is about 0.16%).
        var plan = Plan(new PrivacyConfig(null, 2.0, 1e-5, 0.5), n: 10000, batch: 1000, noise: new SecureGaussianNoise());
        var parameter = new Nn.Parameter("p", new Tensors.Tensor(200_000));
        plan.AddNoiseAndNormalise([parameter]);
        var first = parameter.Grad.Span.ToArray();
        var std = Math.Sqrt(first.Sum(x => (double)x * x) / first.Length);
        var expected = 2.0 * 0.5 / 1000;
        Assert.InRange(std / expected, 0.99, 1.01);
        Assert.False(std / (expected * 2 / 3) is > 0.99 and < 1.01);
        Assert.False(std / (expected * 1.5) is > 0.99 and < 1.01);
        parameter.Grad.Clear();
        plan.AddNoiseAndNormalise([parameter]);
        Assert.NotEqual(first, parameter.Grad.Span.ToArray());
    }
}
