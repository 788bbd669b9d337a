namespace Obscura.Privacy.Auditing;

/// <summary>
/// The receiver operating characteristic of a score that is meant to be higher for positives
/// (for membership inference: members of the training set) than for negatives (non-members).
/// Pure math over two score arrays; no model involved.
/// </summary>
/// <remarks>
/// <para>The curve is swept over every distinct score s, from the highest down: the test "score ≥ s"
/// has TPR(s) = #{positives ≥ s}/P and FPR(s) = #{negatives ≥ s}/N. It starts at (0, 0) and ends at
/// (1, 1). Tied scores enter together, so a tie between a positive and a negative is one diagonal
/// segment; the trapezoid area under the curve is then exactly the Mann–Whitney statistic
/// AUC = P[X⁺ &gt; X⁻] + ½·P[X⁺ = X⁻] (ties count as half).</para>
/// <para><see cref="TruePositiveRateAt"/> reads the highest TPR of any threshold whose FPR does
/// not exceed the target, with no interpolation between thresholds (interpolation would claim a
/// randomised test; this is the figure Carlini et al. 2022 report).</para>
/// </remarks>
public sealed class RocCurve
{
    private RocCurve(double[] falsePositiveRates, double[] truePositiveRates, double auc, int positives, int negatives)
    {
        FalsePositiveRates = falsePositiveRates;
        TruePositiveRates = truePositiveRates;
        Auc = auc;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>FPR of each threshold, non-decreasing, from 0 to 1.</summary>
    public IReadOnlyList<double> FalsePositiveRates { get; }

    /// <summary>TPR of each threshold, non-decreasing, from 0 to 1 (same length as <see cref="FalsePositiveRates"/>).</summary>
    public IReadOnlyList<double> TruePositiveRates { get; }

    /// <summary>Area under the curve: P[X⁺ &gt; X⁻] + ½·P[X⁺ = X⁻]; 0.5 is chance, 1 is perfect separation.</summary>
    public double Auc { get; }

    /// <summary>P, the number of positive scores.</summary>
    public int Positives { get; }

    /// <summary>N, the number of negative scores.</summary>
    public int Negatives { get; }

    /// <summary>
    /// The highest TPR of a threshold with FPR ≤ <paramref name="falsePositiveRate"/>. An FPR below
    /// 1/N can only be met by accepting no negative at all, so a target under 1/N is read at FPR 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is not in [0, 1].</exception>
    public double TruePositiveRateAt(double falsePositiveRate)
    {
        if (!(falsePositiveRate >= 0 && falsePositiveRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveRate), falsePositiveRate, "RocCurve: FPR must be in [0, 1].");
        }
        double best = 0;
        for (int i = 0; i < FalsePositiveRates.Count && FalsePositiveRates[i] <= falsePositiveRate; i++)
        {
            best = Math.Max(best, TruePositiveRates[i]);
        }
        return best;
    }

    /// <summary>Builds the curve from the scores of positives and negatives (higher = more likely positive).</summary>
    /// <exception cref="ArgumentException">Either array is empty or holds NaN.</exception>
    public static RocCurve FromScores(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.IsEmpty || negatives.IsEmpty)
        {
            throw new ArgumentException($"RocCurve: need at least one score on each side, got {positives.Length} positives and {negatives.Length} negatives.");
        }
        var all = new (double Score, bool Positive)[positives.Length + negatives.Length];
        for (int i = 0; i < positives.Length; i++)
        {
            all[i] = (Check(positives[i], "positive", i), true);
        }
        for (int i = 0; i < negatives.Length; i++)
        {
            all[positives.Length + i] = (Check(negatives[i], "negative", i), false);
        }
        Array.Sort(all, (a, b) => b.Score.CompareTo(a.Score));

        double p = positives.Length, n = negatives.Length;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long truePositives = 0, falsePositives = 0;
        double area = 0; // in units of (true positives × false positives)
        for (int i = 0; i < all.Length;)
        {
            long tiedPositives = 0, tiedNegatives = 0;
            double score = all[i].Score;
            for (; i < all.Length && all[i].Score == score; i++)
            {
                if (all[i].Positive)
                {
                    tiedPositives++;
                }
                else
                {
                    tiedNegatives++;
                }
            }
            // Trapezoid over this step: negatives at this score pair with every positive above it,
            // and with the tied positives at half weight.
            area += tiedNegatives * (truePositives + 0.5 * tiedPositives);
            truePositives += tiedPositives;
            falsePositives += tiedNegatives;
            fpr.Add(falsePositives / n);
            tpr.Add(truePositives / p);
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), area / (p * n), positives.Length, negatives.Length);
    }

    private static double Check(double score, string side, int index) =>
        double.IsNaN(score) ? throw new ArgumentException($"RocCurve: {side} score {index} is NaN.") : score;
}
