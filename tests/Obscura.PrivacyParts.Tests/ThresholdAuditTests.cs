using Obscura.Privacy.Auditing;

namespace Obscura.PrivacyParts.Tests;

public class ThresholdAuditTests
{
    [Fact]
    public void PerfectTest_OnAThousandRunsEach_GivesTheClosedFormBound()
    {
        // FP = FN = 0 of 1000: each rate's 97.5% upper bound is 1 − 0.025^(1/1000).
        double rate = 1 - Math.Pow(0.025, 1.0 / 1000);
        double expected = Math.Log((1 - rate) / rate);
        Assert.Equal(expected, ThresholdAudit.EpsilonLowerBound(0, 1000, 0, 1000, delta: 0), 1e-11);
    }

    [Fact]
    public void MoreErrors_GiveASmallerBound()
    {
        double few = ThresholdAudit.EpsilonLowerBound(5, 1000, 100, 1000, 1e-5);
        double more = ThresholdAudit.EpsilonLowerBound(50, 1000, 100, 1000, 1e-5);
        Assert.True(few > more && more > 0);
    }

    [Fact]
    public void CoinFlipTest_GivesZero()
    {
        Assert.Equal(0, ThresholdAudit.EpsilonLowerBound(500, 1000, 500, 1000, 1e-5));
    }

    [Fact]
    public void PointRates_UseTheBetterOfBothDirections()
    {
        // FPR 0.01, FNR 0.5: log(0.5/0.01) beats log(0.99/0.5).
        Assert.Equal(Math.Log(0.5 / 0.01), ThresholdAudit.EpsilonFromRates(0.01, 0.5, 0), 12);
        Assert.Equal(Math.Log(0.5 / 0.01), ThresholdAudit.EpsilonFromRates(0.5, 0.01, 0), 12);
    }
}
