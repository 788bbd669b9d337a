using MathNet.Numerics.Distributions;
using Obscura.Privacy.Auditing;
using Obscura.Privacy.Noise;

namespace Obscura.PrivacyParts.Tests;

public class GaussianDpTests
{
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 3.0)]
    public void Delta_MatchesTheHockeyStickDivergenceOfTwoUnitGaussians(double mu, double epsilon)
    {
        // Analytic Gaussian mechanism (Balle and Wang 2018): δ(ε) = ∫ max(0, φ(x − μ) − e^ε φ(x)) dx,
        // integrated here numerically with the trapezoid rule.
        double lo = -15, hi = mu + 15, h = 1e-4, sum = 0;
        for (double x = lo; x <= hi; x += h)
        {
            sum += Math.Max(0, Normal.PDF(mu, 1, x) - Math.Exp(epsilon) * Normal.PDF(0, 1, x)) * h;
        }
        Assert.Equal(sum, GaussianDp.Delta(mu, epsilon), 7);
    }

    [Fact]
    public void Epsilon_InvertsDelta()
    {
        double epsilon = GaussianDp.Epsilon(1.3, 1e-5);
        Assert.Equal(1e-5, GaussianDp.Delta(1.3, epsilon), 12);
    }

    [Fact]
    public void ClassicalGaussianCalibration_IsWithinTheExactCurve()
    {
        // σ = √(2 ln(1.25/δ))/ε is (ε, δ)-DP for ε < 1 (Dwork and Roth 2014, Thm A.1),
        // so the exact curve at μ = 1/σ must give δ(ε) ≤ δ.
        const double Epsilon = 0.5, Delta = 1e-5;
        double sigma = Math.Sqrt(2 * Math.Log(1.25 / Delta)) / Epsilon;
        Assert.True(GaussianDp.Delta(1 / sigma, Epsilon) <= Delta);
    }

    [Fact]
    public void MuFromRates_RecoversMuOfAPointOnTheTradeOffCurve()
    {
        const double Mu = 1.5, Fpr = 0.1;
        double fnr = Normal.CDF(0, 1, Normal.InvCDF(0, 1, 1 - Fpr) - Mu);
        Assert.Equal(Mu, GaussianDp.MuFromRates(Fpr, fnr), 10);
    }

    [Fact]
    public void MuFromSamples_OfUnitNoiseShiftedByOne_IsAboutOne()
    {
        var noise = new SeededGaussianNoise(77);
        var without = new float[20_000];
        var with = new float[20_000];
        noise.AddNoise(without, 1.0);
        Array.Fill(with, 1.0f);
        noise.AddNoise(with, 1.0);
        double mu = GaussianDp.MuFromSamples(without.Select(x => (double)x).ToArray(), with.Select(x => (double)x).ToArray());
        // Standard error of the mean difference is √(2/20000) = 0.01.
        Assert.InRange(mu, 0.95, 1.05);
    }

    [Fact]
    public void MuLowerBound_NeverExceedsThePointEstimate()
    {
        double bound = GaussianDp.MuLowerBound(100, 1000, 300, 1000);
        Assert.True(bound < GaussianDp.MuFromRates(0.1, 0.3) && bound > 0);
    }
}
