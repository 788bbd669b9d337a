using Obscura.Privacy.Noise;
using Obscura.PrivacyParts.Tests.Support;

namespace Obscura.PrivacyParts.Tests;

/// <summary>The same two-sided statistical tests for both noise sources.</summary>
public class GaussianNoiseTests
{
    private const int Draws = 100_000;
    private const double Sigma = 3.0;

    public static TheoryData<string> Sources => new() { "seeded", "secure" };

    private static IGaussianNoise Create(string source) => source switch
    {
        "seeded" => new SeededGaussianNoise(2024),
        "secure" => new SecureGaussianNoise(),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static float[] Draw(IGaussianNoise noise, int count = Draws)
    {
        var buffer = new float[count];
        noise.AddNoise(buffer, Sigma);
        return buffer;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Variance_Of100kDraws_AcceptsSigmaAndRejectsTwoThirdsAndThreeHalvesOfIt(string source)
    {
        float[] x = Draw(Create(source));
        Assert.InRange(NoiseStatistics.VarianceZ(x, Sigma), -Tolerances.ZScore, Tolerances.ZScore);
        Assert.False(Math.Abs(NoiseStatistics.VarianceZ(x, Sigma * 2 / 3)) < Tolerances.ZScore);
        Assert.False(Math.Abs(NoiseStatistics.VarianceZ(x, Sigma * 3 / 2)) < Tolerances.ZScore);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Mean_Of100kDraws_IsZero(string source)
    {
        float[] x = Draw(Create(source));
        Assert.InRange(NoiseStatistics.MeanZ(x, Sigma), -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Distribution_Of100kDraws_PassesKolmogorovSmirnovAgainstTheNormalCdf(string source)
    {
        float[] x = Draw(Create(source));
        Assert.True(NoiseStatistics.ScaledKolmogorovDistance(x, Sigma) < Tolerances.KolmogorovCritical);
        // Negative control: the same test must notice a 10% error in σ.
        Assert.False(NoiseStatistics.ScaledKolmogorovDistance(x, Sigma * 1.1) < Tolerances.KolmogorovCritical);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void ConsecutiveCalls_DrawFreshUncorrelatedNoise(string source)
    {
        IGaussianNoise noise = Create(source);
        float[] first = Draw(noise);
        float[] second = Draw(noise);
        double limit = Tolerances.ZScore / Math.Sqrt(Draws);
        Assert.InRange(NoiseStatistics.Correlation(first, second), -limit, limit);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void AddNoise_AddsToTheExistingValues(string source)
    {
        var x = new float[Draws];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 100 + (i % 7);
        }
        Create(source).AddNoise(x, Sigma);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] -= 100 + (i % 7);
        }
        Assert.InRange(NoiseStatistics.MeanZ(x, Sigma), -Tolerances.ZScore, Tolerances.ZScore);
        Assert.InRange(NoiseStatistics.VarianceZ(x, Sigma), -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void EveryLengthFromZeroTo257_NoisesEveryCoordinate(string source)
    {
        IGaussianNoise noise = Create(source);
        for (int length = 0; length <= 257; length++)
        {
            var x = new float[length];
            noise.AddNoise(x, Sigma);
            Assert.All(x, v => Assert.True(v != 0 && float.IsFinite(v), $"length {length}: value {v}"));
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void NonPositiveStandardDeviation_IsRefused(string source)
    {
        IGaussianNoise noise = Create(source);
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.AddNoise(new float[3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.AddNoise(new float[3], double.NaN));
    }

    [Fact]
    public void SeededNoise_SameSeed_GivesSameValues()
    {
        Assert.Equal(Draw(new SeededGaussianNoise(7), 1_001), Draw(new SeededGaussianNoise(7), 1_001));
        Assert.NotEqual(Draw(new SeededGaussianNoise(7), 1_001), Draw(new SeededGaussianNoise(8), 1_001));
    }

    [Fact]
    public void SeededNoise_SplitCalls_ContinueTheSameStream()
    {
        float[] whole = Draw(new SeededGaussianNoise(9), 12);
        var noise = new SeededGaussianNoise(9);
        float[] head = Draw(noise, 5);
        float[] tail = Draw(noise, 7);
        Assert.Equal(whole, head.Concat(tail));
    }

    [Fact]
    public void SecureNoise_TwoInstances_DrawDifferentNoise()
    {
        float[] a = Draw(new SecureGaussianNoise());
        float[] b = Draw(new SecureGaussianNoise());
        double limit = Tolerances.ZScore / Math.Sqrt(Draws);
        Assert.InRange(NoiseStatistics.Correlation(a, b), -limit, limit);
    }

    [Fact]
    public void SecureNoise_ParallelChunks_AreIndependentStreams()
    {
        // Chunks are 16,384 coordinates, each drawn by its own worker stream.
        const int Chunk = 16 * 1024;
        float[] x = Draw(new SecureGaussianNoise(), 2 * Chunk);
        double limit = Tolerances.ZScore / Math.Sqrt(Chunk);
        Assert.InRange(NoiseStatistics.Correlation(x.AsSpan(0, Chunk), x.AsSpan(Chunk, Chunk)), -limit, limit);
        Assert.InRange(NoiseStatistics.VarianceZ(x, Sigma), -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Fact]
    public void SecureNoise_IsMarkedSecure_AndSeededIsNot()
    {
        Assert.True(new SecureGaussianNoise().IsCryptographicallySecure);
        Assert.False(new SeededGaussianNoise(1).IsCryptographicallySecure);
    }

    [Fact]
    public void SecureNoise_NonFiniteOrHugeInput_IsRefusedNamingTheCoordinate()
    {
        var noise = new SecureGaussianNoise();
        var e = Assert.Throws<ArgumentException>(() => noise.AddNoise(new float[] { 0, float.NaN }, 1.0));
        Assert.Contains("coordinate 1", e.Message);
        Assert.Throws<ArgumentException>(() => noise.AddNoise(new float[] { 1e12f }, 1.0));
    }

    [Fact]
    public void SecureNoise_Output_IsRoundedInputPlusGridNoise()
    {
        // With k = 4 the grid step is σ/16; every output must be a multiple of it.
        var noise = new SecureGaussianNoise(gridBits: 4);
        var x = new float[1_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 0.123f * i;
        }
        noise.AddNoise(x, 2.0);
        double step = 2.0 / 16;
        Assert.All(x, v => Assert.Equal(0, Math.IEEERemainder(v, step), 6));
    }

    [Fact]
    public void EffectiveNoiseMultiplier_IncludesTheRoundingSlack()
    {
        double z = SecureGaussianNoise.EffectiveNoiseMultiplier(4.0, 1_000_000, 32);
        Assert.Equal(4.0 / (1 + 4.0 * 1000 / Math.Pow(2, 32)), z, 12);
        Assert.True(z < 4.0 && z > 4.0 * (1 - 1e-5));
    }
}
