using Obscura.Privacy.Auditing;

namespace Obscura.Report.Tests;

public sealed class RocCurveTests
{
    private const double Exact = 1e-12;

    [Fact]
    public void Auc_PerfectlySeparated_IsOne()
    {
        var roc = RocCurve.FromScores([5, 4, 3], [2, 1, 0, -1]);
        Assert.Equal(1.0, roc.Auc, Exact);
        Assert.Equal(1.0, roc.TruePositiveRateAt(0));
    }

    [Fact]
    public void Auc_Reversed_IsZero()
    {
        var roc = RocCurve.FromScores([0, 1], [2, 3]);
        Assert.Equal(0.0, roc.Auc, Exact);
        Assert.Equal(0.0, roc.TruePositiveRateAt(0.4));
    }

    [Fact]
    public void Auc_AllScoresTied_IsExactlyHalf()
    {
        var roc = RocCurve.FromScores([1, 1, 1], [1, 1]);
        Assert.Equal(0.5, roc.Auc, Exact);
        // One threshold takes everything: the curve is the diagonal from (0,0) to (1,1).
        Assert.Equal([0.0, 1.0], roc.FalsePositiveRates);
        Assert.Equal([0.0, 1.0], roc.TruePositiveRates);
    }

    [Fact]
    public void Auc_HandComputedWithOneTie_CountsTheTieAsHalf()
    {
        // Pairs (positive, negative): (3,2) (3,1) (2,1) won, (2,2) tied: (3 + 0.5) / 4.
        var roc = RocCurve.FromScores([3, 2], [2, 1]);
        Assert.Equal(0.875, roc.Auc, Exact);
        Assert.Equal([0.0, 0.0, 0.5, 1.0], roc.FalsePositiveRates);
        Assert.Equal([0.0, 0.5, 1.0, 1.0], roc.TruePositiveRates);
    }

    [Fact]
    public void TruePositiveRateAt_ReadsTheBestThresholdWithinTheFalsePositiveBudget()
    {
        // Thresholds: 0.9 → (0, 1/4); 0.85 → (1/4, 1/4); 0.8, 0.7 → (1/4, 3/4); then the rest.
        var roc = RocCurve.FromScores([0.9, 0.8, 0.7, 0.1], [0.85, 0.3, 0.2, 0.05]);
        Assert.Equal(0.25, roc.TruePositiveRateAt(0.0));
        Assert.Equal(0.25, roc.TruePositiveRateAt(0.2));
        Assert.Equal(0.75, roc.TruePositiveRateAt(0.25));
        Assert.Equal(1.0, roc.TruePositiveRateAt(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => roc.TruePositiveRateAt(1.5));
    }

    [Fact]
    public void Auc_RandomScoresWithTies_EqualsTheMannWhitneyCountOverAllPairs()
    {
        var rng = new Random(5);
        var pos = Enumerable.Range(0, 157).Select(_ => (double)rng.Next(20) + 2).ToArray();
        var neg = Enumerable.Range(0, 211).Select(_ => (double)rng.Next(20)).ToArray();
        double wins = 0;
        foreach (var p in pos)
        {
            foreach (var n in neg)
            {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        Assert.Equal(wins / (pos.Length * neg.Length), RocCurve.FromScores(pos, neg).Auc, 1e-12);
    }

    [Fact]
    public void Auc_SameDistribution_IsNearHalf()
    {
        var rng = new Random(11);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var pos = Enumerable.Range(0, 4000).Select(_ => Normal()).ToArray();
        var neg = Enumerable.Range(0, 4000).Select(_ => Normal()).ToArray();
        // Standard deviation of the AUC under the null: sqrt((P+N+1)/(12PN)) ≈ 0.0046; accept ±4.5 sd, two-sided.
        Assert.InRange(RocCurve.FromScores(pos, neg).Auc, 0.5 - 0.021, 0.5 + 0.021);
    }

    [Fact]
    public void Curve_IsMonotoneFromOriginToOne()
    {
        var rng = new Random(3);
        var roc = RocCurve.FromScores(Enumerable.Range(0, 50).Select(_ => rng.NextDouble() + 0.2).ToArray(), Enumerable.Range(0, 70).Select(_ => rng.NextDouble()).ToArray());
        Assert.Equal((0.0, 0.0), (roc.FalsePositiveRates[0], roc.TruePositiveRates[0]));
        Assert.Equal((1.0, 1.0), (roc.FalsePositiveRates[^1], roc.TruePositiveRates[^1]));
        for (var i = 1; i < roc.FalsePositiveRates.Count; i++)
        {
            Assert.True(roc.FalsePositiveRates[i] >= roc.FalsePositiveRates[i - 1] && roc.TruePositiveRates[i] >= roc.TruePositiveRates[i - 1]);
        }
    }

    [Fact]
    public void FromScores_EmptyOrNaN_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.FromScores([], [1]));
        var e = Assert.Throws<ArgumentException>(() => RocCurve.FromScores([1, double.NaN], [1]));
        Assert.Contains("NaN", e.Message);
    }
}
