using Obscura.Data;
using Obscura.Training.Auditing;

namespace Obscura.Training;

/// <summary>
/// What one run trains and is evaluated on, canaries included: the real training examples, the
/// evaluation set (test or validation; never holds a canary), and, when the run has canaries,
/// their record and all M of them (trained on or not), through the same front end as the rest.
/// </summary>
/// <param name="Real">The real training examples, without any canary.</param>
/// <param name="Evaluation">The examples accuracy is measured on.</param>
/// <param name="Canaries">The run's canaries, or null.</param>
/// <param name="CanaryExamples">All M canaries with their canary labels, in order, as the model sees them; null without canaries.</param>
public sealed record TrainingSet(ImageDataset Real, ImageDataset Evaluation, CanarySet? Canaries, ImageDataset? CanaryExamples)
{
    private ImageDataset? train;

    /// <summary>
    /// The training set: <see cref="Real"/> followed by the included canaries, so N (and q = B/N)
    /// count them. Built on first use (a copy), since an audit needs only the parts.
    /// </summary>
    public ImageDataset Train => train ??= Canaries is { } set && CanaryExamples is { } examples && set.IncludedIndices.Length > 0
        ? Real.Concat(examples.Subset(set.IncludedIndices), $"{Real.Name}+{set.IncludedIndices.Length} canaries")
        : Real;

    /// <summary>Number of included canaries (0 without canaries).</summary>
    public int IncludedCanaries => Canaries?.IncludedIndices.Length ?? 0;
}
