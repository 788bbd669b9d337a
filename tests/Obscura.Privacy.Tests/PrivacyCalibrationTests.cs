using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class PrivacyCalibrationTests
{
    private const double Delta = 1e-5;

    [Theory]
    [InlineData(8.0, 4096.0 / 50000, 2500L)]
    [InlineData(1.0, 4096.0 / 50000, 875L)]
    [InlineData(3.0, 256.0 / 60000, 14063L)]
    public void NoiseCalibration_RoundTrip_MeetsTheTargetAndIsWithinOnePercentOfIt(double epsilon, double q, long steps)
    {
        foreach (var kind in new[] { AccountantKind.Pld, AccountantKind.Rdp })
        {
            var result = PrivacyCalibration.CalibrateNoiseMultiplier(epsilon, Delta, q, steps, kind);
            var recomputed = PrivacyCalibration.CreateAccountant(kind)
                .GetEpsilon(DpEvent.PoissonSampledGaussian(q, result.NoiseMultiplier, steps), Delta).Epsilon;
            Assert.True(recomputed <= epsilon, $"{kind}: ε(σ) = {recomputed} > target {epsilon}");
            Assert.True(recomputed >= 0.99 * epsilon, $"{kind}: ε(σ) = {recomputed} is not within 1% of {epsilon}");
            Assert.Equal(recomputed, result.Achieved.Epsilon);

            // A slightly smaller σ must miss the target: the answer is (nearly) the smallest.
            var smaller = PrivacyCalibration.CreateAccountant(kind)
                .GetEpsilon(DpEvent.PoissonSampledGaussian(q, result.NoiseMultiplier * 0.995, steps), Delta).Epsilon;
            Assert.True(smaller > epsilon, $"{kind}: σ·0.995 still meets the target ({smaller})");
        }
    }

    [Fact]
    public void PldCalibration_NeedsLessNoiseThanRdp()
    {
        var pld = PrivacyCalibration.CalibrateNoiseMultiplier(8, Delta, 4096.0 / 50000, 2500);
        var rdp = PrivacyCalibration.CalibrateNoiseMultiplier(8, Delta, 4096.0 / 50000, 2500, AccountantKind.Rdp);
        Assert.True(pld.NoiseMultiplier < rdp.NoiseMultiplier);
    }

    [Fact]
    public void StepCalibration_ReturnsTheLastStepCountThatMeetsTheTarget()
    {
        var result = PrivacyCalibration.MaxSteps(2, Delta, 0.01, 1.0);
        var accountant = new PldAccountant();
        Assert.True(accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(0.01, 1.0, result.Steps), Delta).Epsilon <= 2);
        Assert.True(accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(0.01, 1.0, result.Steps + 1), Delta).Epsilon > 2);
    }

    [Fact]
    public void UnreachableStepTarget_ThrowsNamingTheTarget()
    {
        var ex = Assert.Throws<ArgumentException>(() => PrivacyCalibration.MaxSteps(0.01, Delta, 1, 1));
        Assert.Contains("out of reach", ex.Message);
    }

    [Fact]
    public void TargetMetWithoutNoise_ThrowsInsteadOfReturningAMeaninglessSigma()
    {
        // δ above the sampling rate: the one-step mechanism is (0, δ)-DP for any σ.
        var ex = Assert.Throws<ArgumentException>(() => PrivacyCalibration.CalibrateNoiseMultiplier(1, 0.5, 0.001, 1));
        Assert.Contains("every noise multiplier", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadEpsilon_IsRejected(double epsilon)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PrivacyCalibration.CalibrateNoiseMultiplier(epsilon, Delta, 0.01, 100));
        Assert.Contains("epsilon", ex.Message);
    }

    [Fact]
    public void Schedule_FromTutorialNumbers_GivesSamplingRateAndCeilingOfSteps()
    {
        // TF Privacy MNIST tutorial: 60000 examples, batch 256, 60 epochs → 14062.5 → 14063 steps.
        var schedule = TrainingSchedule.FromEpochs(60000, 256, 60);
        Assert.Equal(256.0 / 60000, schedule.SamplingRate);
        Assert.Equal(14063, schedule.Steps);
    }

    [Fact]
    public void Schedule_WholeNumberOfStepsUpToRounding_IsNotRoundedUpAnExtraStep()
    {
        // De et al.: 875 steps of 4096 out of 50000 are 71.68 epochs; 71.68·50000/4096 is
        // 875.0000000000001 in floating point and must stay 875.
        Assert.Equal(875, TrainingSchedule.FromEpochs(50000, 4096, 71.68).Steps);
    }

    [Fact]
    public void Schedule_BatchLargerThanDataset_IsRejectedWithTheOptionName()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingSchedule.FromEpochs(100, 200, 1, "--dataset-size", "--batch-size", "--epochs"));
        Assert.Contains("--batch-size must be in [1, 100]", ex.Message);
    }
}
