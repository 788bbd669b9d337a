using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Privacy.Auditing;
using Obscura.Privacy.Randomness;

namespace Obscura.Training.Reports;

/// <summary>
/// The loss-threshold membership inference attack (Yeom, Giacomelli, Fredrikson and Jha 2018,
/// "Privacy Risk in Machine Learning"): guess "member" when an example's loss under the trained
/// weights is low. Score = −loss; members are a seeded random sample of the training examples,
/// non-members an equally large seeded sample of the test examples (never trained on).
/// </summary>
/// <remarks>
/// The attack needs no shadow models, so it is a weak attack: a low AUC here is not evidence of
/// privacy (only the DP guarantee is), but a high one is evidence of leakage. LiRA with shadow
/// models (Carlini et al. 2022) is stronger and needs the training loop.
/// </remarks>
public static class MembershipInference
{
    /// <summary>Default number of members (and of non-members) scored.</summary>
    public const int DefaultCount = 10_000;

    /// <param name="testPredictions">Predictions already computed on all of <paramref name="test"/> (with the same <paramref name="averageViews"/>), reused when given.</param>
    /// <param name="averageViews">Attack the losses of the predictions averaged over six views, as the run's classifier makes them.</param>
    public static MembershipInferenceResult Run(Model model, ImageDataset train, ImageDataset test, int count = DefaultCount, int seed = 0,
        Predictions? testPredictions = null, bool averageViews = false)
    {
        var n = Math.Min(count, Math.Min(train.Count, test.Count));
        if (n < 1)
        {
            throw new ArgumentException($"Membership inference needs at least one training and one test example (got {train.Count} and {test.Count}, count {count}).");
        }
        var rng = new SeededRandomSource((ulong)seed * 0x9E3779B97F4A7C15UL + 17);
        var members = Sample(train.Count, n, rng);
        var nonMembers = Sample(test.Count, n, rng);
        var memberLosses = Predictions.Compute(model, train, members, averageViews: averageViews).Losses;
        var nonMemberLosses = testPredictions is { } all && all.Count == test.Count
            ? nonMembers.Select(i => all.Losses[i]).ToArray()
            : Predictions.Compute(model, test, nonMembers, averageViews: averageViews).Losses;
        var roc = RocCurve.FromScores(Scores(memberLosses), Scores(nonMemberLosses));
        return new MembershipInferenceResult(roc, n, seed, memberLosses.Average(l => (double)l), nonMemberLosses.Average(l => (double)l));
    }

    // NaN losses (non-finite logits) become −∞: the attack then calls the example a non-member.
    private static double[] Scores(float[] losses) => losses.Select(l => float.IsNaN(l) ? double.NegativeInfinity : -(double)l).ToArray();

    private static int[] Sample(int population, int count, IRandomSource rng)
    {
        var all = Enumerable.Range(0, population).ToArray();
        for (var i = 0; i < count; i++) // partial Fisher–Yates
        {
            var j = i + (int)rng.NextBelow((ulong)(population - i));
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..count];
    }
}
