using Obscura.Privacy.Auditing;
using Obscura.Training.Auditing;

namespace Obscura.Training.Tests;

public sealed class OfflineLiraTests
{
    [Fact]
    public void LogitConfidence_MatchesValuesComputedIndependently()
    {
        // Python: 2 - math.log1p(math.exp(-1)); for the second, z[y] - log(sum of e^z over j != y);
        // the loss is math.log(e^2 + 1 + e^-1) - 2.
        Assert.Equal(1.6867383124817772, LogitScores.LogitConfidence([2f, 0f, -1f], 0), 12);
        Assert.Equal(-5.2663678998071335, LogitScores.LogitConfidence([0.5f, 1.5f, -2f, 3f], 2), 12);
        Assert.Equal(0.16984601955628564, LogitScores.Loss([2f, 0f, -1f], 0), 12);
        // p = 1 − 4e−18 rounds to 1 in double, so log(p/(1 − p)) from p would be +∞; from the logits it is exact.
        Assert.Equal(40, LogitScores.LogitConfidence([40f, 0f], 0), 12);
        Assert.True(double.IsNaN(LogitScores.LogitConfidence([float.NaN, 0f], 0)));
    }

    [Fact]
    public void LikelihoodAndPValue_AreTheNormalCdfAndItsTail()
    {
        // Python: 0.5 * math.erfc(-1 / math.sqrt(2)), 0.5 * math.erfc(1 / math.sqrt(2)), 0.5 * math.erfc(8 / math.sqrt(2)).
        Assert.Equal(0.8413447460685429, OfflineLira.Likelihood(1), 14);
        Assert.Equal(0.15865525393145707, OfflineLira.PValue(1), 14);
        Assert.Equal(6.220960574271819e-16, OfflineLira.PValue(8), 1e-26);
        Assert.Equal(0.5, OfflineLira.Likelihood(0), 15);
    }

    [Fact]
    public void Fit_WithFewShadows_UsesThePooledWithinExampleVariance()
    {
        // Example 0: 1, 3 (mean 2, variance 2); example 1: 10, 14 (mean 12, variance 8): pooled σ² = 5.
        var lira = OfflineLira.Fit([[1, 10], [3, 14]]);

        Assert.True(lira.GlobalVariance);
        Assert.Equal([2.0, 12.0], lira.Means);
        Assert.Equal(Math.Sqrt(5), lira.Deviations[0], 12);
        Assert.Equal(Math.Sqrt(5), lira.Deviations[1], 12);
        Assert.Equal((7 - 2) / Math.Sqrt(5), lira.Statistic(0, 7), 12);
        Assert.Equal(double.NegativeInfinity, lira.Statistic(1, double.NaN));
        Assert.Throws<ArgumentException>(() => OfflineLira.Fit([[1, 2]]));
        Assert.Throws<ArgumentException>(() => OfflineLira.Fit([[1, 2], [1, 2]]));
    }

    [Fact]
    public void Attack_SeparatesShiftedMembers_AndShuffledMembershipGivesChance()
    {
        // Each example has its own OUT level μ_i (spread 3); a member's confidence is shifted up by 2.
        // LiRA removes the per-example level, the raw confidence cannot: AUC ≈ Φ(2/√(2·1.25)) ≈ 0.90
        // against ≈ Φ(2/√(2·10)) ≈ 0.67.
        const int m = 2000, shadows = 4;
        var rng = new Random(11);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var levels = Enumerable.Range(0, m).Select(_ => 3 * Normal()).ToArray();
        var members = Enumerable.Range(0, m).Select(_ => rng.Next(2) == 1).ToArray();
        var shadowConfidences = Enumerable.Range(0, shadows).Select(_ => levels.Select(l => l + Normal()).ToArray()).ToArray();
        var target = levels.Select((l, i) => l + (members[i] ? 2 : 0) + Normal()).ToArray();

        var z = OfflineLira.Fit(shadowConfidences).Statistics(target);
        var lira = CanaryAttack.Evaluate("lira", z, members, 400, 1e-5);
        var raw = CanaryAttack.Evaluate("raw", target, members, 400, 1e-5);
        var shuffled = members.OrderBy(_ => rng.Next()).ToArray();
        var control = CanaryAttack.Evaluate("lira", z, shuffled, 400, 1e-5);

        Assert.InRange(lira.Auc!.Value, 0.86, 0.94);
        Assert.InRange(raw.Auc!.Value, 0.62, 0.72);
        Assert.InRange(control.Auc!.Value, 0.46, 0.54);
        Assert.True(lira.EpsilonLowerBound > 1, $"LiRA bound {lira.EpsilonLowerBound}");
        Assert.True(control.EpsilonLowerBound < 0.5, $"control bound {control.EpsilonLowerBound}");
    }

    [Fact]
    public void Guesses_AreTheTopAndBottomScores_AndCountAsTheOneRunAuditCounts()
    {
        // Guess in for 5 and 4 (a member and a non-member), out for 0 and 1 (both non-members): 3 of 4 right.
        var attack = CanaryAttack.Evaluate("loss", [5, 4, 3, 2, 1, 0], [true, false, true, false, false, false], 4, 1e-5);

        Assert.Equal((2, 2, 3), (attack.GuessesIn, attack.GuessesOut, attack.Correct));
        Assert.Equal((2, 4), (attack.Members, attack.NonMembers));
        Assert.Equal(OneRunAudit.EpsilonLowerBound(6, 4, 3, 1e-5), attack.EpsilonLowerBound);
        Assert.Equal(0.875, attack.Auc); // 7 of the 8 member/non-member pairs are ordered right
        Assert.Throws<ArgumentException>(() => CanaryAttack.Evaluate("loss", [1, 2], [true, false], 3, 1e-5));
    }
}
