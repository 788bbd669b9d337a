using MathNet.Numerics;
using Obscura.Privacy.Auditing;

namespace Obscura.PrivacyParts.Tests;

public class OneRunAuditTests
{
    [Fact]
    public void Bound_IsMonotoneInTheNumberOfCorrectGuesses()
    {
        double previous = -1;
        for (int correct = 50; correct <= 100; correct += 5)
        {
            double bound = OneRunAudit.EpsilonLowerBound(1000, 100, correct, 1e-5);
            Assert.True(bound >= previous, $"{correct} correct gave {bound} < {previous}");
            previous = bound;
        }
        Assert.Equal(0, OneRunAudit.EpsilonLowerBound(1000, 100, 50, 1e-5));
        Assert.True(previous > 2);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(10000)]
    public void AllCorrectWithDeltaZero_MatchesTheClosedForm(int guesses)
    {
        // With δ = 0 and v = r the p-value is p^r with p = e^ε/(1 + e^ε); setting it to β = 0.05
        // gives p = β^(1/r) and ε = log(p/(1 − p)).
        double p = Math.Pow(0.05, 1.0 / guesses);
        double expected = Math.Log(p / (1 - p));
        Assert.Equal(expected, OneRunAudit.EpsilonLowerBound(guesses, guesses, guesses, 0), 6);
    }

    [Theory]
    // Reference values: the same p-value evaluated in 40-digit arithmetic (mpmath) by the
    // procedure of Steinke, Nasr and Jagielski 2023; (1000, 600, 600) is their code's example.
    [InlineData(1000, 600, 600, 5.2703994635)]
    [InlineData(1000, 100, 90, 1.6261434807)]
    public void Bound_MatchesHighPrecisionReferenceValues(int canaries, int guesses, int correct, double expected)
    {
        Assert.Equal(expected, OneRunAudit.EpsilonLowerBound(canaries, guesses, correct, 1e-5), 6);
    }

    [Fact]
    public void PValue_AtEpsilonZeroAndDeltaZero_IsTheFairCoinTail()
    {
        double tail = 0;
        for (int j = 70; j <= 100; j++)
        {
            tail += Math.Exp(SpecialFunctions.BinomialLn(100, j) - 100 * Math.Log(2));
        }
        Assert.Equal(tail, OneRunAudit.PValue(100, 100, 70, 0, 0), 12);
        Assert.Equal(0.7937452657, OneRunAudit.PValue(100, 100, 70, 1, 1e-5), 9);
    }

    [Fact]
    public void DeltaTerm_CapsTheBoundForAllCorrectGuesses()
    {
        // δ > 0 can only weaken the evidence: the bound with δ never exceeds the bound without.
        Assert.True(OneRunAudit.EpsilonLowerBound(10000, 10000, 10000, 1e-5) <= OneRunAudit.EpsilonLowerBound(10000, 10000, 10000, 0));
    }

    [Fact]
    public void InconsistentCounts_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAudit.PValue(10, 20, 5, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAudit.PValue(10, 5, 6, 1, 0));
    }
}
