namespace Obscura.Training.Reports;

/// <summary>
/// Accuracy per group with the worst group and the best-minus-worst gap (Berrada et al. 2023).
/// Empty groups are listed but take no part in the worst, best and gap.
/// </summary>
public sealed record FairnessSummary(string Kind, IReadOnlyList<GroupAccuracy> Groups)
{
    private IEnumerable<GroupAccuracy> NonEmpty => Groups.Where(g => g.Count > 0);

    /// <summary>The group with the lowest accuracy (the first such in order), or null when all are empty.</summary>
    public GroupAccuracy? Worst => NonEmpty.OrderBy(g => g.Accuracy).FirstOrDefault();

    /// <summary>The group with the highest accuracy (the first such in order), or null when all are empty.</summary>
    public GroupAccuracy? Best => NonEmpty.OrderByDescending(g => g.Accuracy).FirstOrDefault();

    /// <summary>Best minus worst accuracy; NaN when no group has examples.</summary>
    public double Gap => Worst is { } w && Best is { } b ? b.Accuracy - w.Accuracy : double.NaN;
}
