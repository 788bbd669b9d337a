using System.Text.Json.Serialization;
using Obscura.Privacy.Auditing;

namespace Obscura.Training.Auditing;

/// <summary>
/// One membership score over a run's canaries, turned into the one-run audit's ε lower bound
/// and a ROC. The guesses follow Steinke, Nasr and Jagielski 2023 (§4): "in" for the
/// <see cref="GuessesIn"/> highest scores, "out" for the <see cref="GuessesOut"/> lowest,
/// abstain on the rest; the counts are fixed before any score is seen.
/// </summary>
/// <param name="Score">Which score: "loss" (−ℓ of the trained model) or "lira" (the offline LiRA statistic).</param>
/// <param name="Canaries">m, all canaries.</param>
/// <param name="Members">Canaries trained on (their coin said in).</param>
/// <param name="NonMembers">Canaries left out.</param>
/// <param name="GuessesIn">k+, canaries guessed in.</param>
/// <param name="GuessesOut">k−, canaries guessed out.</param>
/// <param name="Correct">v, right guesses of the r = k+ + k−.</param>
/// <param name="Confidence">1 − β of the bound.</param>
/// <param name="Delta">δ the bound is stated at.</param>
/// <param name="EpsilonLowerBound">The ε below which the run is not (ε, δ)-DP, with probability ≥ <paramref name="Confidence"/> over the coins.</param>
public sealed record CanaryAttack(
    string Score,
    int Canaries,
    int Members,
    int NonMembers,
    int GuessesIn,
    int GuessesOut,
    int Correct,
    double Confidence,
    double Delta,
    double EpsilonLowerBound)
{
    /// <summary>r = k+ + k−.</summary>
    public int Guesses => GuessesIn + GuessesOut;

    /// <summary>Members against non-members by this score; null when either side is empty.</summary>
    [JsonIgnore]
    public RocCurve? Roc { get; init; }

    /// <summary>Area under <see cref="Roc"/> (kept when the record is read back from audit.json, unlike the curve).</summary>
    public double? Auc { get; init; }

    /// <summary>TPR of <see cref="Roc"/> at FPR ≤ 0.1% (see <see cref="FalsePositivesAt0_1Percent"/>).</summary>
    public double? TprAt0_1Percent { get; init; }

    /// <summary>TPR of <see cref="Roc"/> at FPR ≤ 1%.</summary>
    public double? TprAt1Percent { get; init; }

    /// <summary>False positives a threshold may make and stay at FPR ≤ 0.1%: ⌊NonMembers/1000⌋ (0 means TPR at 0.1% is read at FPR 0).</summary>
    public int FalsePositivesAt0_1Percent => NonMembers / 1000;

    /// <summary>The default r: a fifth of the canaries (a tenth guessed in, a tenth out), at least 2.</summary>
    public static int DefaultGuesses(int canaries) => Math.Min(canaries, Math.Max(2, canaries / 5));

    /// <summary>
    /// Scores higher for members. <paramref name="guesses"/> = r is split k+ = ⌈r/2⌉, k− = ⌊r/2⌋;
    /// ties are broken by canary index (which the coins do not depend on); NaN scores count as −∞.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or r is not in 1..m.</exception>
    public static CanaryAttack Evaluate(string score, IReadOnlyList<double> scores, IReadOnlyList<bool> included, int guesses,
        double delta, double confidence = 0.95)
    {
        var m = scores.Count;
        if (included.Count != m)
        {
            throw new ArgumentException($"CanaryAttack: {m} scores for {included.Count} canaries.");
        }
        if (guesses < 1 || guesses > m)
        {
            throw new ArgumentException($"--guesses must be between 1 and the number of canaries ({m}), got {guesses}.");
        }
        var clean = scores.Select(s => double.IsNaN(s) ? double.NegativeInfinity : s).ToArray();
        var order = Enumerable.Range(0, m).OrderByDescending(i => clean[i]).ThenBy(i => i).ToArray();
        var guessIn = (guesses + 1) / 2;
        var guessOut = guesses - guessIn;
        var correct = order.Take(guessIn).Count(i => included[i]) + order.Skip(m - guessOut).Count(i => !included[i]);
        var members = included.Count(x => x);
        var positives = Enumerable.Range(0, m).Where(i => included[i]).Select(i => clean[i]).ToArray();
        var negatives = Enumerable.Range(0, m).Where(i => !included[i]).Select(i => clean[i]).ToArray();
        var roc = positives.Length > 0 && negatives.Length > 0 ? RocCurve.FromScores(positives, negatives) : null;
        return new CanaryAttack(score, m, members, m - members, guessIn, guessOut, correct, confidence, delta,
            OneRunAudit.EpsilonLowerBound(m, guesses, correct, delta, confidence))
        {
            Roc = roc,
            Auc = roc?.Auc,
            TprAt0_1Percent = roc?.TruePositiveRateAt(0.001),
            TprAt1Percent = roc?.TruePositiveRateAt(0.01),
        };
    }
}
