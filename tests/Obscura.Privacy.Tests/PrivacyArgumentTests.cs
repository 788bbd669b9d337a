using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class PrivacyArgumentTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void SamplingRateOutsideZeroOne_IsRejectedWithItsName(double q)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSampledGaussianEvent(q, 1.0));
        Assert.Contains("samplingRate must be in (0, 1]", ex.Message);
    }

    [Fact]
    public void SamplingRateMessage_NamesTheOptionAndTheValue()
    {
        Assert.Equal("--sampling-rate must be in (0, 1], got 1.5", PrivacyArgument.SamplingRateError(1.5, "--sampling-rate"));
        Assert.Null(PrivacyArgument.SamplingRateError(1.0, "--sampling-rate"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveOrNonFiniteNoiseMultiplier_IsRejected(double sigma)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSampledGaussianEvent(0.1, sigma));
        Assert.Contains("noiseMultiplier", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    public void DeltaOutsideZeroOne_IsRejectedByBothAccountants(double delta)
    {
        var dpEvent = DpEvent.PoissonSampledGaussian(0.01, 1, 10);
        Assert.Contains("delta", Assert.Throws<ArgumentOutOfRangeException>(() => new RdpAccountant().GetEpsilon(dpEvent, delta)).Message);
        Assert.Contains("delta", Assert.Throws<ArgumentOutOfRangeException>(() => new PldAccountant().GetEpsilon(dpEvent, delta)).Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void StepsBelowOne_AreRejected(long steps)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DpEvent.PoissonSampledGaussian(0.01, 1, steps));
        Assert.Contains("must be at least 1", ex.Message);
    }
}
