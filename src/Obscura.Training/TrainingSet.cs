using Obscura.Data;
using Obscura.Training.Auditing;

namespace Obscura.Training;

/// <summary>
/// What one run trains and is evaluated on, canaries included: the real training examples, the
/// evaluation set (test or validation; never holds a canary), and, when the run has canaries,
/// their record and all M of them (trained on or not), through the same front end as the rest.
/// </summary>
/// <param name="real">The real training examples as the model sees them, without any canary.</param>
/// <param name="realImages">The same examples before the front end (the same object for pixel models without per-image standardisation): what canaries are built from.</param>
/// <param name="evaluation">The examples accuracy is measured on.</param>
/// <param name="canaries">The run's canaries, or null.</param>
/// <param name="canaryExamples">All M canaries with their canary labels, in order, as the model sees them; null without canaries.</param>
public sealed class TrainingSet(ImageDataset real, ImageDataset realImages, ImageDataset evaluation, CanarySet? canaries, ImageDataset? canaryExamples)
{
    private ImageDataset? train;

    public ImageDataset Real { get; } = real;
    public ImageDataset RealImages { get; } = realImages;
    public ImageDataset Evaluation { get; } = evaluation;
    public CanarySet? Canaries { get; } = canaries;
    public ImageDataset? CanaryExamples { get; } = canaryExamples;

    /// <summary>
    /// The training set: <see cref="Real"/> followed by the included canaries, so N (and q = B/N)
    /// count them. Built on first use (a copy), since an audit needs only the parts.
    /// </summary>
    public ImageDataset Train => train ??= Canaries is { } set && CanaryExamples is { } examples && set.IncludedIndices.Length > 0
        ? Real.Concat(examples.Subset(set.IncludedIndices), $"{Real.Name}+{set.IncludedIndices.Length} canaries")
        : Real;

    /// <summary>Number of included canaries (0 without canaries).</summary>
    public int IncludedCanaries => Canaries?.IncludedIndices.Length ?? 0;

    /// <summary>The same real and evaluation data with other canaries (or none), built through the same front end.</summary>
    /// <exception cref="InvalidDataException">The canaries were drawn against other data.</exception>
    public TrainingSet WithCanaries(TrainConfig config, CanarySet? other)
    {
        if (other is null)
        {
            return new TrainingSet(Real, RealImages, Evaluation, null, null);
        }
        other.Check(RealImages, other.Count, other.Kind, "the canary set");
        return new TrainingSet(Real, RealImages, Evaluation, other, FeatureFrontEnd.Apply(config, other.Images(RealImages), cache: false));
    }
}
