using MathNet.Numerics.Distributions;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;
using Obscura.PrivacyParts.Tests.Support;

namespace Obscura.PrivacyParts.Tests;

public class DiscreteGaussianSamplerTests
{
    [Fact]
    public void Frequencies_AtScaleFour_FitTheExactDiscreteGaussianPmf()
    {
        // D_{Z,4}: P[z] ∝ exp(−z²/32). Bins z = −16..16, with the two tails folded into the end bins.
        const int Draws = 200_000, Reach = 16;
        var sampler = new DiscreteGaussianSampler(2, new SeededRandomSource(31));
        var observed = new double[2 * Reach + 1];
        for (int i = 0; i < Draws; i++)
        {
            long z = Math.Clamp(sampler.Sample(), -Reach, Reach);
            observed[z + Reach]++;
        }
        double norm = 0;
        for (int z = -200; z <= 200; z++)
        {
            norm += Math.Exp(-z * z / 32.0);
        }
        var expected = new double[observed.Length];
        for (int z = -200; z <= 200; z++)
        {
            expected[Math.Clamp(z, -Reach, Reach) + Reach] += Draws * Math.Exp(-z * z / 32.0) / norm;
        }
        double chiSquare = 0;
        for (int b = 0; b < observed.Length; b++)
        {
            chiSquare += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
        }
        int freedom = observed.Length - 1;
        Assert.InRange(chiSquare, ChiSquared.InvCDF(freedom, Tolerances.Alpha / 2), ChiSquared.InvCDF(freedom, 1 - Tolerances.Alpha / 2));
    }

    [Fact]
    public void BinnedFrequencies_AtScale256_FitTheExactPmf()
    {
        // D_{Z,256} in 32 bins of width 64 covering ±4σ; the tails are folded into the end bins.
        const int Draws = 200_000, Width = 64, Bins = 32, Scale = 256;
        var sampler = new DiscreteGaussianSampler(8, new SeededRandomSource(33));
        int Bin(long z) => (int)Math.Clamp(Math.Floor((double)z / Width) + Bins / 2, 0, Bins - 1);
        var observed = new double[Bins];
        for (int i = 0; i < Draws; i++)
        {
            observed[Bin(sampler.Sample())]++;
        }
        var weights = new double[Bins];
        double norm = 0;
        for (long z = -20 * Scale; z <= 20 * Scale; z++)
        {
            double w = Math.Exp(-(double)z * z / (2.0 * Scale * Scale));
            weights[Bin(z)] += w;
            norm += w;
        }
        double chiSquare = 0;
        for (int b = 0; b < Bins; b++)
        {
            double expected = Draws * weights[b] / norm;
            chiSquare += (observed[b] - expected) * (observed[b] - expected) / expected;
        }
        Assert.InRange(chiSquare, ChiSquared.InvCDF(Bins - 1, Tolerances.Alpha / 2), ChiSquared.InvCDF(Bins - 1, 1 - Tolerances.Alpha / 2));
    }

    [Fact]
    public void Variance_AtScaleTwoToThe32_IsTwoToThe64()
    {
        const int Draws = 100_000;
        var sampler = new DiscreteGaussianSampler(32, new SeededRandomSource(32));
        var scaled = new float[Draws];
        for (int i = 0; i < Draws; i++)
        {
            scaled[i] = (float)(sampler.Sample() * Math.ScaleB(1.0, -32));
        }
        Assert.InRange(NoiseStatistics.VarianceZ(scaled, 1.0), -Tolerances.ZScore, Tolerances.ZScore);
        Assert.InRange(NoiseStatistics.MeanZ(scaled, 1.0), -Tolerances.ZScore, Tolerances.ZScore);
        Assert.True(NoiseStatistics.ScaledKolmogorovDistance(scaled, 1.0) < Tolerances.KolmogorovCritical);
    }

    [Fact]
    public void SameSeededBits_GiveSameIntegers()
    {
        var a = new DiscreteGaussianSampler(20, new SeededRandomSource(3));
        var b = new DiscreteGaussianSampler(20, new SeededRandomSource(3));
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.Sample(), b.Sample());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(41)]
    public void GridBitsOutsideSupportedRange_AreRefused(int gridBits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussianSampler(gridBits, new SeededRandomSource(1)));
    }
}
