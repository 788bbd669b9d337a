using Obscura.Tensors;

namespace Obscura.Nn.Loss;

/// <summary>
/// Softmax cross-entropy over logits z: [N, classes] with integer labels y: [N].
/// Per-example loss ℓ_r = log Σ_k exp(z_rk) − z_r,y_r, computed as log-sum-exp after subtracting
/// the row maximum (stable for any finite logits), in double. Backward writes
/// dz_r = w_r (softmax(z_r) − onehot(y_r)), where the per-row weight w_r is the caller's choice:
/// 1/N for a batch mean, 1/K for the mean over an example's K augmented views, 1 for per-example
/// sums. Forward caches the probabilities; the dlogits tensor is owned and reused (grow-only).
/// Non-finite logits give non-finite losses and gradients; the caller decides what to do.
/// </summary>
public sealed class SoftmaxCrossEntropy
{
    private readonly Tensor probabilities = new(0); // forward cache: softmax(z), [N, classes]
    private readonly Tensor logitsGrad = new(0);
    private int[] labels = [];                        // forward cache: y (first N entries)
    private int rows = -1;

    /// <summary>
    /// Writes ℓ_r into <paramref name="losses"/>[r] for each of the N rows and returns their mean
    /// (0 for an empty batch). Throws when a label is outside [0, classes) or the lengths disagree.
    /// </summary>
    public double Forward(Tensor logits, ReadOnlySpan<int> labels, Span<float> losses)
    {
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy: logits must be [N, classes], got {logits.ShapeText}.");
        }
        var n = logits.Dim(0);
        var classes = logits.Dim(1);
        if (labels.Length != n || losses.Length < n)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy: logits {logits.ShapeText} need {n} labels and room for {n} losses, got {labels.Length} labels and {losses.Length} losses.");
        }
        probabilities.Resize(n, classes);
        if (this.labels.Length < n)
        {
            this.labels = new int[n];
        }
        var z = logits.Span;
        var p = probabilities.Span;
        double total = 0;
        for (var r = 0; r < n; r++)
        {
            var label = labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"SoftmaxCrossEntropy: label {label} of row {r} is outside [0, {classes}).");
            }
            this.labels[r] = label;
            var row = z.Slice(r * classes, classes);
            var prob = p.Slice(r * classes, classes);
            double max = double.NegativeInfinity;
            foreach (var v in row)
            {
                max = Math.Max(max, v);
            }
            double sum = 0;
            for (var k = 0; k < classes; k++)
            {
                sum += Math.Exp(row[k] - max);
            }
            var logSum = max + Math.Log(sum);
            for (var k = 0; k < classes; k++)
            {
                prob[k] = (float)Math.Exp(row[k] - logSum);
            }
            var loss = logSum - row[label];
            losses[r] = (float)loss;
            total += loss;
        }
        rows = n;
        return n == 0 ? 0 : total / n;
    }

    /// <summary>dz: [N, classes] with row r scaled by <paramref name="rowWeights"/>[r] (length N).</summary>
    public Tensor Backward(ReadOnlySpan<float> rowWeights)
    {
        EnsureForward();
        if (rowWeights.Length != rows)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy.Backward: need {rows} row weights, got {rowWeights.Length}.");
        }
        return Write(rowWeights, 0f);
    }

    /// <summary>dz with the same weight for every row (1/N for the gradient of the mean loss).</summary>
    public Tensor Backward(float weight)
    {
        EnsureForward();
        return Write([], weight);
    }

    // Row r gets rowWeights[r], or `uniform` when rowWeights is empty.
    private Tensor Write(ReadOnlySpan<float> rowWeights, float uniform)
    {
        var classes = probabilities.Dim(1);
        logitsGrad.Resize(rows, classes);
        var p = probabilities.Span;
        var d = logitsGrad.Span;
        for (var r = 0; r < rows; r++)
        {
            var w = rowWeights.IsEmpty ? uniform : rowWeights[r];
            var src = p.Slice(r * classes, classes);
            var dst = d.Slice(r * classes, classes);
            System.Numerics.Tensors.TensorPrimitives.Multiply(src, w, dst);
            dst[labels[r]] = (src[labels[r]] - 1f) * w;
        }
        return logitsGrad;
    }

    private void EnsureForward()
    {
        if (rows < 0)
        {
            throw new InvalidOperationException("SoftmaxCrossEntropy.Backward called before Forward.");
        }
    }

    /// <summary>Writes argmax_k z_rk into <paramref name="predicted"/>[r] (lowest index on ties).</summary>
    public static void Predict(Tensor logits, Span<int> predicted)
    {
        if (logits.Rank != 2 || predicted.Length < logits.Dim(0))
        {
            throw new ArgumentException($"SoftmaxCrossEntropy.Predict: logits must be [N, classes] with room for N predictions, got {logits.ShapeText} and {predicted.Length}.");
        }
        var classes = logits.Dim(1);
        var z = logits.Span;
        for (var r = 0; r < logits.Dim(0); r++)
        {
            var row = z.Slice(r * classes, classes);
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (row[k] > row[best])
                {
                    best = k;
                }
            }
            predicted[r] = best;
        }
    }

    /// <summary>Number of rows whose predicted class equals the label.</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        var predicted = new int[logits.Rank == 2 ? logits.Dim(0) : 0];
        Predict(logits, predicted);
        if (labels.Length != predicted.Length)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy.CountCorrect: logits {logits.ShapeText} need {predicted.Length} labels, got {labels.Length}.");
        }
        var correct = 0;
        for (var r = 0; r < predicted.Length; r++)
        {
            correct += predicted[r] == labels[r] ? 1 : 0;
        }
        return correct;
    }

    /// <summary>Fraction of rows predicted correctly (0 for an empty batch).</summary>
    public static double Accuracy(Tensor logits, ReadOnlySpan<int> labels)
    {
        var n = logits.Rank == 2 ? logits.Dim(0) : 0;
        return n == 0 ? 0 : (double)CountCorrect(logits, labels) / n;
    }
}
