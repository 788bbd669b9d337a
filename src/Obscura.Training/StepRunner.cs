using Obscura.Data;
using Obscura.Nn;
using Obscura.Nn.Loss;
using Obscura.Nn.Models;
using Obscura.Tensors;

namespace Obscura.Training;

/// <summary>
/// Turns one logical batch (an index array, possibly empty) into gradients in the parameters'
/// buffers, chunk by chunk (virtual batches): forward, per-example loss, one backward, and then
/// either the plain batch gradient (non-private) or the clipped sum Σ s_i g_i (private; noise is
/// added by the caller once per logical step). Chunking changes nothing beyond float rounding.
/// Every buffer is kept and reused across steps.
/// </summary>
public sealed class StepRunner
{
    private readonly Model model;
    private readonly ImageDataset data;
    private readonly Augmenter augmenter;
    private readonly SoftmaxCrossEntropy loss = new();
    private readonly PerExampleClipper? clipper;
    private readonly IReadOnlyList<IGradientSource> trainableSources;
    private readonly int physicalBatch;
    private readonly Tensor examples = new(0);
    private readonly Tensor views = new(0);
    private int[] exampleLabels = [];
    private int[] viewLabels = [];
    private float[] rowLosses = [];
    private readonly List<int> nonFinite = [];

    public StepRunner(Model model, ImageDataset data, Augmenter augmenter, PerExampleClipper? clipper, int physicalBatch)
    {
        if (physicalBatch < 1)
        {
            throw new ArgumentException($"--physical-batch must be at least 1, got {physicalBatch}.");
        }
        this.model = model;
        this.data = data;
        this.augmenter = augmenter;
        this.clipper = clipper;
        trainableSources = model.TrainableSources;
        this.physicalBatch = physicalBatch;
    }

    /// <summary>Views per example (augmentation multiplicity K).</summary>
    public int Views => augmenter.Multiplicity;

    /// <summary>
    /// Adds the batch's gradient into the parameters' gradient buffers (the caller clears them).
    /// Private: Σ_i s_i g_i over the examples with finite gradients. Non-private: the mean gradient.
    /// </summary>
    public StepStats Accumulate(ReadOnlySpan<int> batch)
    {
        var stats = new StepStats();
        for (var start = 0; start < batch.Length; start += physicalBatch)
        {
            var chunk = batch.Slice(start, Math.Min(physicalBatch, batch.Length - start));
            RunChunk(chunk, batch.Length, ref stats);
        }
        return stats;
    }

    private void RunChunk(ReadOnlySpan<int> chunk, int batchSize, ref StepStats stats)
    {
        var lossSum = ForwardBackward(chunk, batchSize);
        if (clipper is null)
        {
            foreach (var source in trainableSources)
            {
                source.AccumulateGradients([], Views);
            }
            stats.Add(chunk.Length, lossSum, clipped: 0, dropped: 0);
            return;
        }
        var clipped = clipper.ClipAndAccumulate(chunk.Length, Views, nonFinite);
        if (nonFinite.Count == 0)
        {
            stats.Add(chunk.Length, lossSum, clipped, dropped: 0);
            return;
        }
        // Drop examples whose gradient is not finite and run the rest again.
        var rest = new List<int>(chunk.Length);
        for (var i = 0; i < chunk.Length; i++)
        {
            if (!nonFinite.Contains(i))
            {
                rest.Add(chunk[i]);
            }
        }
        stats.Add(0, 0, 0, dropped: nonFinite.Count);
        if (rest.Count > 0)
        {
            RunChunk(rest.ToArray(), batchSize, ref stats);
        }
    }

    // Forward and backward of one chunk; returns the sum over examples of their mean view loss.
    private double ForwardBackward(ReadOnlySpan<int> chunk, int batchSize)
    {
        var n = chunk.Length;
        if (exampleLabels.Length < n)
        {
            exampleLabels = new int[n];
        }
        BatchAssembler.Gather(data, chunk, examples, exampleLabels);
        var rows = n * Views;
        if (viewLabels.Length < rows)
        {
            viewLabels = new int[rows];
            rowLosses = new float[rows];
        }
        augmenter.Apply(examples, views);
        augmenter.ExpandLabels(exampleLabels.AsSpan(0, n), viewLabels.AsSpan(0, rows));
        var logits = model.Forward(views);
        loss.Forward(logits, viewLabels.AsSpan(0, rows), rowLosses.AsSpan(0, rows));
        // Private: each example's loss is the mean over its views (weight 1/K), clipped per example.
        // Non-private: the batch mean (weight 1/(B·K)).
        var weight = clipper is null ? 1f / (batchSize * Views) : 1f / Views;
        var dLogits = loss.Backward(weight);
        model.Backward(dLogits);
        double sum = 0;
        for (var r = 0; r < rows; r++)
        {
            sum += rowLosses[r];
        }
        return sum / Views;
    }
}
