using Obscura.Data;
using Obscura.Nn.Loss;
using Obscura.Nn.Models;
using Obscura.Tensors;

namespace Obscura.Training;

/// <summary>Runs a model over a dataset in chunks and scores its predictions.</summary>
public sealed class Evaluator(int chunkSize = 1000)
{
    private readonly Tensor images = new(0);
    private readonly SoftmaxCrossEntropy loss = new();
    private int[] labels = [];
    private float[] losses = [];

    /// <param name="averageViews">Score the predictions averaged over six views of each image (<see cref="ViewAveraging"/>).</param>
    public Evaluation Evaluate(Model model, ImageDataset data, bool averageViews = false)
    {
        var classes = model.Classes;
        if (data.Count == 0)
        {
            return new Evaluation(double.NaN, new double[classes], new long[classes, classes], double.NaN);
        }
        var confusion = new long[classes, classes];
        double lossSum = 0;
        var indices = new int[Math.Min(chunkSize, data.Count)];
        for (var start = 0; start < data.Count; start += chunkSize)
        {
            var n = Math.Min(chunkSize, data.Count - start);
            for (var i = 0; i < n; i++)
            {
                indices[i] = start + i;
            }
            if (labels.Length < n)
            {
                labels = new int[n];
                losses = new float[n];
            }
            BatchAssembler.Gather(data, indices.AsSpan(0, n), images, labels);
            var logits = ViewAveraging.Logits(model, images, averageViews);
            loss.Forward(logits, labels.AsSpan(0, n), losses.AsSpan(0, n));
            var scores = logits.Span;
            for (var i = 0; i < n; i++)
            {
                var row = scores.Slice(i * classes, classes);
                var predicted = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (row[c] > row[predicted])
                    {
                        predicted = c;
                    }
                }
                confusion[labels[i], predicted]++;
                lossSum += losses[i];
            }
        }
        long correct = 0;
        var perClass = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            correct += confusion[c, c];
            long total = 0;
            for (var p = 0; p < classes; p++)
            {
                total += confusion[c, p];
            }
            perClass[c] = total == 0 ? double.NaN : (double)confusion[c, c] / total;
        }
        var count = data.Count;
        return new Evaluation(count == 0 ? double.NaN : (double)correct / count, perClass, confusion, lossSum / Math.Max(1, count)) { Count = count };
    }
}
