using MathNet.Numerics;
using Obscura.Privacy.Auditing;

namespace Obscura.PrivacyParts.Tests;

public class ClopperPearsonTests
{
    [Fact]
    public void ThreeOfTen_TwoSided95_MatchesPublishedInterval()
    {
        // Published: [0.0667, 0.6525] (e.g. R binom.test(3, 10): 0.06673951 0.65245285).
        (double lower, double upper) = ClopperPearson.Interval(3, 10, 0.95);
        Assert.Equal(0.06673951, lower, 5e-9);
        Assert.Equal(0.65245285, upper, 5e-9);
    }

    [Fact]
    public void ZeroSuccesses_UpperBoundIsOneMinusAlphaHalfToTheOneOverN()
    {
        (double lower, double upper) = ClopperPearson.Interval(0, 20, 0.95);
        Assert.Equal(0, lower);
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / 20), upper, 1e-14);
    }

    [Fact]
    public void AllSuccesses_LowerBoundIsAlphaHalfToTheOneOverN()
    {
        (double lower, double upper) = ClopperPearson.Interval(20, 20, 0.95);
        Assert.Equal(Math.Pow(0.025, 1.0 / 20), lower, 12);
        Assert.Equal(1, upper);
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(17, 40)]
    [InlineData(123, 1000)]
    public void Bounds_PutExactlyAlphaHalfInEachBinomialTail(int k, int n)
    {
        (double lower, double upper) = ClopperPearson.Interval(k, n, 0.9);
        // Independent check by summing binomial probabilities directly.
        Assert.Equal(0.05, BinomialCdf(k, n, upper), 9);          // P[X ≤ k | upper]
        Assert.Equal(0.05, 1 - BinomialCdf(k - 1, n, lower), 9);  // P[X ≥ k | lower]
    }

    private static double BinomialCdf(int k, int n, double p)
    {
        double sum = 0;
        for (int j = 0; j <= k; j++)
        {
            sum += Math.Exp(SpecialFunctions.BinomialLn(n, j) + j * Math.Log(p) + (n - j) * Math.Log(1 - p));
        }
        return sum;
    }
}
