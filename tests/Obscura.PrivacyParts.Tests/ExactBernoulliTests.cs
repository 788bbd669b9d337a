using Obscura.Privacy.Randomness;
using Obscura.PrivacyParts.Tests.Support;

namespace Obscura.PrivacyParts.Tests;

public class ExactBernoulliTests
{
    [Fact]
    public void Half_ComparesFirstWordWithTopBit()
    {
        var half = new ExactBernoulli(0.5);
        Assert.True(half.Sample(new ScriptedRandomSource(0x7FFF_FFFF_FFFF_FFFFUL)));
        // U in [0.5, 0.5 + 2^-64) is not below 0.5: the expansion ends, so the answer is false.
        Assert.False(half.Sample(new ScriptedRandomSource(0x8000_0000_0000_0000UL)));
    }

    [Fact]
    public void TinyProbability_ReadsSecondWordOnlyAfterATie()
    {
        // 2^-70 has expansion word 0 = 0, word 1 = 1 << 58 (position 70 after the point).
        var tiny = new ExactBernoulli(Math.ScaleB(1.0, -70));
        var decidedEarly = new ScriptedRandomSource(1UL);
        Assert.False(tiny.Sample(decidedEarly));
        Assert.Equal(1, decidedEarly.Consumed);

        var tie = new ScriptedRandomSource(0UL, (1UL << 58) - 1);
        Assert.True(tiny.Sample(tie));
        Assert.Equal(2, tie.Consumed);
    }

    [Fact]
    public void Frequency_OverManyTrials_MatchesProbability()
    {
        const int Trials = 200_000;
        const double P = 0.3;
        var trial = new ExactBernoulli(P);
        var random = new SeededRandomSource(21);
        int successes = 0;
        for (int i = 0; i < Trials; i++)
        {
            successes += trial.Sample(random) ? 1 : 0;
        }
        double z = (successes - Trials * P) / Math.Sqrt(Trials * P * (1 - P));
        Assert.InRange(z, -Tolerances.ZScore, Tolerances.ZScore);
    }

    [Fact]
    public void ZeroAndOne_AreNeverAndAlways()
    {
        var random = new SeededRandomSource(1);
        Assert.False(new ExactBernoulli(0).Sample(random));
        Assert.True(new ExactBernoulli(1).Sample(random));
    }
}
