using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Tensors;

namespace Obscura.Training.Auditing;

/// <summary>
/// What a model's logits say about each example's own label, in double precision: the
/// cross-entropy loss ℓ = log Σ_j e^{z_j} − z_y and the logit-scaled confidence
/// φ = log(p/(1 − p)) = z_y − log Σ_{j≠y} e^{z_j}, p the softmax probability of label y
/// (Carlini et al. 2022, §IV.B: φ is close to Gaussian across training runs, p is not).
/// Computing φ from the logits keeps it exact where p rounds to 1.
/// </summary>
public sealed class LogitScores
{
    private LogitScores(double[] losses, double[] confidences)
    {
        Losses = losses;
        Confidences = confidences;
    }

    /// <summary>ℓ per example, [n]; NaN when a logit is not finite.</summary>
    public double[] Losses { get; }

    /// <summary>φ per example, [n]; NaN when a logit is not finite.</summary>
    public double[] Confidences { get; }

    public int Count => Losses.Length;

    /// <summary>Runs <paramref name="model"/> over all of <paramref name="data"/>, <paramref name="chunkSize"/> examples at a time.</summary>
    public static LogitScores Compute(Model model, ImageDataset data, int chunkSize = 1000)
    {
        var n = data.Count;
        var classes = model.Classes;
        var losses = new double[n];
        var confidences = new double[n];
        var images = new Tensor(0);
        var labels = new int[Math.Min(chunkSize, Math.Max(1, n))];
        var chunk = new int[labels.Length];
        for (var start = 0; start < n; start += chunkSize)
        {
            var m = Math.Min(chunkSize, n - start);
            for (var i = 0; i < m; i++)
            {
                chunk[i] = start + i;
            }
            BatchAssembler.Gather(data, chunk.AsSpan(0, m), images, labels.AsSpan(0, m));
            var logits = model.Forward(images).Span;
            for (var i = 0; i < m; i++)
            {
                var row = logits.Slice(i * classes, classes);
                losses[start + i] = Loss(row, labels[i]);
                confidences[start + i] = LogitConfidence(row, labels[i]);
            }
        }
        return new LogitScores(losses, confidences);
    }

    /// <summary>ℓ = log Σ_j e^{z_j} − z_y, by the max-shifted log-sum-exp.</summary>
    public static double Loss(ReadOnlySpan<float> logits, int label) => LogSumExp(logits, -1) - logits[label];

    /// <summary>φ = z_y − log Σ_{j≠y} e^{z_j}; NaN for fewer than two classes or a non-finite logit.</summary>
    public static double LogitConfidence(ReadOnlySpan<float> logits, int label) =>
        logits.Length < 2 ? double.NaN : logits[label] - LogSumExp(logits, label);

    // log Σ_{j≠skip} e^{z_j}, shifted by the largest term so no exponential overflows.
    private static double LogSumExp(ReadOnlySpan<float> z, int skip)
    {
        var max = double.NegativeInfinity;
        for (var j = 0; j < z.Length; j++)
        {
            if (j != skip)
            {
                max = Math.Max(max, z[j]);
            }
        }
        if (!double.IsFinite(max))
        {
            return double.NaN;
        }
        double sum = 0;
        for (var j = 0; j < z.Length; j++)
        {
            if (j != skip)
            {
                sum += Math.Exp(z[j] - max);
            }
        }
        return max + Math.Log(sum);
    }
}
