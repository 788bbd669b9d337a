using Obscura.Nn.Models;
using Obscura.Tensors;

namespace Obscura.Training;

/// <summary>
/// Test-time view averaging: the class probabilities of a classifier averaged over six views of each
/// image: the image, its four one-pixel shifts (up, down, left, right; the edge row or column
/// repeated into the gap) and its mirror image. It reads only the image and the released weights, so
/// it is post-processing and costs no privacy. Returned as log-probabilities, which serve as logits:
/// their softmax is the averaged distribution, their arg max its most likely class, and their
/// cross-entropy the loss of the averaged prediction.
/// </summary>
public static class ViewAveraging
{
    /// <summary>Views per image.</summary>
    public const int ViewCount = 6;

    /// <summary>
    /// The logits <paramref name="model"/> gives <paramref name="images"/> [n, C, H, W]: its own, or
    /// with <paramref name="averageViews"/> the log of its probabilities averaged over the views, [n, classes].
    /// </summary>
    public static Tensor Logits(Model model, Tensor images, bool averageViews)
    {
        if (!averageViews)
        {
            return model.Forward(images);
        }
        var shape = images.Shape.ToArray();
        var (n, classes) = (shape[0], model.Classes);
        var sum = new double[n * classes];
        var view = new float[images.Length];
        for (var v = 0; v < ViewCount; v++)
        {
            View(images.Span, view, shape[0] * shape[1], shape[2], shape[3], v);
            var logits = model.Forward(Tensor.FromArray(view, shape)).Span;
            for (var i = 0; i < n; i++)
            {
                AddSoftmax(logits.Slice(i * classes, classes), sum.AsSpan(i * classes, classes));
            }
        }
        var result = new float[n * classes];
        for (var j = 0; j < result.Length; j++)
        {
            result[j] = (float)Math.Log(sum[j] / ViewCount);
        }
        return Tensor.FromArray(result, n, classes);
    }

    /// <summary>
    /// View <paramref name="view"/> (0: the image; 1–4: shifted down, up, right, left by one pixel;
    /// 5: mirrored left to right) of <paramref name="planes"/> planes of <paramref name="height"/>×<paramref name="width"/>.
    /// </summary>
    // source, destination: [planes, height, width]
    public static void View(ReadOnlySpan<float> source, Span<float> destination, int planes, int height, int width, int view)
    {
        var (dy, dx) = view switch { 1 => (1, 0), 2 => (-1, 0), 3 => (0, 1), 4 => (0, -1), _ => (0, 0) };
        for (var p = 0; p < planes; p++)
        {
            for (var y = 0; y < height; y++)
            {
                var from = source.Slice((p * height + Math.Clamp(y - dy, 0, height - 1)) * width, width);
                var to = destination.Slice((p * height + y) * width, width);
                for (var x = 0; x < width; x++)
                {
                    to[x] = from[view == 5 ? width - 1 - x : Math.Clamp(x - dx, 0, width - 1)];
                }
            }
        }
    }

    // sum += softmax(logits), computed stably in double.
    private static void AddSoftmax(ReadOnlySpan<float> logits, Span<double> sum)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }
        double z = 0;
        foreach (var l in logits)
        {
            z += Math.Exp(l - max);
        }
        for (var c = 0; c < logits.Length; c++)
        {
            sum[c] += Math.Exp(logits[c] - max) / z;
        }
    }
}
