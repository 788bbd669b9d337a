using Obscura.Data;
using Obscura.Nn.Loss;
using Obscura.Nn.Models;
using Obscura.Tensors;

namespace Obscura.Training.Reports;

/// <summary>
/// What a model says about each example of a set: its true label, the predicted class (arg max of
/// the logits, the first on ties) and its cross-entropy loss; <see cref="Evaluator"/> scores them.
/// </summary>
public sealed class Predictions
{
    private Predictions(int[] labels, int[] predicted, float[] losses, int classes)
    {
        Labels = labels;
        Predicted = predicted;
        Losses = losses;
        Classes = classes;
    }

    /// <summary>True labels, [n].</summary>
    public int[] Labels { get; }

    /// <summary>Predicted classes, [n].</summary>
    public int[] Predicted { get; }

    /// <summary>Per-example cross-entropy loss, [n].</summary>
    public float[] Losses { get; }

    public int Classes { get; }

    public int Count => Labels.Length;

    /// <summary>Fraction predicted correctly; NaN for an empty set.</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Labels.Zip(Predicted).Count(p => p.First == p.Second) / Count;

    /// <summary>Confusion counts, [true class, predicted class].</summary>
    public long[,] Confusion()
    {
        var m = new long[Classes, Classes];
        for (var i = 0; i < Count; i++)
        {
            m[Labels[i], Predicted[i]]++;
        }
        return m;
    }

    /// <summary>
    /// Runs <paramref name="model"/> over the examples of <paramref name="data"/> at
    /// <paramref name="indices"/> (all of them, in order, when null), <paramref name="chunkSize"/> at a time.
    /// </summary>
    /// <param name="averageViews">Predict from the probabilities averaged over six views of each image (<see cref="ViewAveraging"/>).</param>
    public static Predictions Compute(Model model, ImageDataset data, IReadOnlyList<int>? indices = null, int chunkSize = 1000, bool averageViews = false)
    {
        var n = indices?.Count ?? data.Count;
        var classes = model.Classes;
        var labels = new int[n];
        var predicted = new int[n];
        var losses = new float[n];
        var images = new Tensor(0);
        var loss = new SoftmaxCrossEntropy();
        var chunk = new int[Math.Min(chunkSize, Math.Max(1, n))];
        for (var start = 0; start < n; start += chunkSize)
        {
            var m = Math.Min(chunkSize, n - start);
            for (var i = 0; i < m; i++)
            {
                chunk[i] = indices?[start + i] ?? start + i;
            }
            var labelSpan = labels.AsSpan(start, m);
            BatchAssembler.Gather(data, chunk.AsSpan(0, m), images, labelSpan);
            var logits = ViewAveraging.Logits(model, images, averageViews);
            loss.Forward(logits, labelSpan, losses.AsSpan(start, m));
            var scores = logits.Span;
            for (var i = 0; i < m; i++)
            {
                var row = scores.Slice(i * classes, classes);
                var best = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }
                predicted[start + i] = best;
            }
        }
        return new Predictions(labels, predicted, losses, classes);
    }
}
