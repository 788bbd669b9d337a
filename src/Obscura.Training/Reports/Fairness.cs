namespace Obscura.Training.Reports;

/// <summary>
/// Accuracy broken down by class or by a user's groups (DESIGN.md §6, Fairness): from each test
/// example's true label and prediction. Pure counting; the model is run elsewhere (<see cref="Predictions"/>).
/// </summary>
public static class Fairness
{
    /// <summary>Per-class accuracy (recall): group c holds the examples whose true label is c.</summary>
    /// <exception cref="ArgumentException">Lengths differ or a label is outside the class names.</exception>
    public static FairnessSummary ByClass(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, IReadOnlyList<string> classNames)
    {
        CheckLengths(labels, predicted, "labels");
        var count = new int[classNames.Count];
        var correct = new int[classNames.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var c = labels[i];
            if ((uint)c >= (uint)classNames.Count)
            {
                throw new ArgumentException($"Fairness.ByClass: label {c} of example {i} is outside the {classNames.Count} classes.");
            }
            count[c]++;
            correct[c] += predicted[i] == c ? 1 : 0;
        }
        return new FairnessSummary("class", classNames.Select((name, c) => new GroupAccuracy(name, count[c], correct[c])).ToArray());
    }

    /// <summary>Per-group accuracy: example i belongs to group <c>groups.GroupOf[i]</c>.</summary>
    /// <exception cref="ArgumentException">The assignment does not cover exactly these examples.</exception>
    public static FairnessSummary ByGroup(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, GroupAssignment groups)
    {
        CheckLengths(labels, predicted, "labels");
        if (groups.GroupOf.Count != labels.Length)
        {
            throw new ArgumentException($"Fairness.ByGroup: {groups.Source} assigns {groups.GroupOf.Count} examples, the evaluation has {labels.Length}.");
        }
        var count = new int[groups.Names.Count];
        var correct = new int[groups.Names.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var g = groups.GroupOf[i];
            count[g]++;
            correct[g] += predicted[i] == labels[i] ? 1 : 0;
        }
        return new FairnessSummary("group", groups.Names.Select((name, g) => new GroupAccuracy(name, count[g], correct[g])).ToArray());
    }

    private static void CheckLengths(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, string what)
    {
        if (labels.Length != predicted.Length)
        {
            throw new ArgumentException($"Fairness: {labels.Length} {what} but {predicted.Length} predictions.");
        }
    }
}
