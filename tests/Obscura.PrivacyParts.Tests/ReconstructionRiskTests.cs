using MathNet.Numerics.Distributions;
using Obscura.Privacy.Auditing;
using Obscura.Privacy.Randomness;

namespace Obscura.PrivacyParts.Tests;

public class ReconstructionRiskTests
{
    [Theory]
    [InlineData(1, 2.0, 0.01)]
    [InlineData(4, 2.0, 0.001)]
    public void FullBatches_MatchTheExactGaussianBlowUp(long steps, double sigma, double prior)
    {
        // q = 1: the log-ratio is monotone in the sum of outputs, so B(κ) = Φ(Φ⁻¹(κ) + √T/σ).
        double exact = Normal.CDF(0, 1, Normal.InvCDF(0, 1, prior) + Math.Sqrt(steps) / sigma);
        ReconstructionBound bound = ReconstructionRisk.Estimate(1.0, sigma, steps, prior, 40_000, new SeededRandomSource(8));
        // Allow for the threshold's own sampling error on top of the reported standard error.
        Assert.InRange(bound.SuccessProbability, exact - 6 * bound.StandardError - 0.004, exact + 6 * bound.StandardError + 0.004);
    }

    [Fact]
    public void OneSubsampledStep_MatchesTheExactMixtureBlowUp()
    {
        // T = 1: the ratio is increasing in x, so E = {x > c} with c = σΦ⁻¹(1 − κ) and
        // B(κ) = (1 − q)κ + q·(1 − Φ((c − 1)/σ)).
        const double Q = 0.3, Sigma = 0.7, Prior = 0.05;
        double c = Sigma * Normal.InvCDF(0, 1, 1 - Prior);
        double exact = (1 - Q) * Prior + Q * (1 - Normal.CDF(0, 1, (c - 1) / Sigma));
        ReconstructionBound bound = ReconstructionRisk.Estimate(Q, Sigma, 1, Prior, 40_000, new SeededRandomSource(10));
        Assert.InRange(bound.SuccessProbability, exact - 6 * bound.StandardError - 0.004, exact + 6 * bound.StandardError + 0.004);
    }

    [Fact]
    public void MoreNoise_GivesASmallerBound_AndNeverBelowThePrior()
    {
        var random = new SeededRandomSource(9);
        ReconstructionBound lowNoise = ReconstructionRisk.Estimate(0.05, 0.8, 100, 0.01, 5_000, random);
        ReconstructionBound highNoise = ReconstructionRisk.Estimate(0.05, 3.0, 100, 0.01, 5_000, random);
        Assert.True(lowNoise.SuccessProbability > highNoise.SuccessProbability);
        Assert.True(highNoise.SuccessProbability > 0.01 - 5 * Math.Sqrt(0.01 * 0.99 / 5_000));
    }

    [Fact]
    public void InvalidPrior_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconstructionRisk.Estimate(0.1, 1, 10, 0, 1_000, new SeededRandomSource(1)));
    }
}
