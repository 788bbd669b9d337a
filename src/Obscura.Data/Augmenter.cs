using Obscura.Tensors;

namespace Obscura.Data;

/// <summary>
/// Augmentation multiplicity (De et al. 2022): K random views of every example, each a random
/// H×W crop of the image padded by p on every side, optionally flipped left–right.
/// Layout: source [B, C, H, W] → destination [B·K, C, H, W], example i owns rows i·K … i·K+K−1,
/// so the training loop can average an example's K view gradients before clipping.
/// View v of an example is: view[c, y, x] = padded[c, y + p + dy, x' + p + dx] with x' = x, or
/// x' = W−1−x when flipped, and (dx, dy) uniform in [−p, p]².
/// The random stream is SplitMix64 from a seed; <see cref="State"/> can be saved in a checkpoint
/// and restored to continue the same stream. Draws are made in example-then-view order on one
/// thread, so the result does not depend on how the copy is parallelised.
/// One instance serves one training loop: <see cref="Apply"/> is not safe to call concurrently.
/// </summary>
public sealed class Augmenter
{
    private SplitMix64 random;
    private int[] draws = [];

    /// <exception cref="ArgumentOutOfRangeException">The options are out of range.</exception>
    public Augmenter(AugmentationOptions options, ulong seed)
    {
        options.Validate();
        Options = options;
        random = new SplitMix64(seed);
    }

    public AugmentationOptions Options { get; }

    /// <summary>K, views per example.</summary>
    public int Multiplicity => Options.Multiplicity;

    /// <summary>The generator's whole state; restore it to replay the stream from this point.</summary>
    public ulong State
    {
        get => random.State;
        set => random.State = value;
    }

    /// <summary>
    /// Writes K views of every image of <paramref name="source"/> into <paramref name="destination"/>,
    /// which is resized (grow-only) to [B·K, C, H, W]. With K = 1 every view is an exact copy and no
    /// random numbers are drawn. Once the buffers have grown nothing proportional to the batch is
    /// allocated: only the shape array <see cref="Tensor.Resize"/> copies, and the small objects of a
    /// parallel loop above <see cref="BatchAssembler.ParallelThreshold"/> floats.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Source is not rank 4, the tensors share memory, or reflect padding is not below H and W.
    /// </exception>
    public void Apply(Tensor source, Tensor destination)
    {
        // source: [B, C, H, W]   destination: [B·K, C, H, W]
        if (source.Rank != 4)
        {
            throw new ArgumentException($"Augmenter.Apply: source must be [B, C, H, W], got {source.ShapeText}.", nameof(source));
        }
        if (ReferenceEquals(source.Data, destination.Data))
        {
            throw new ArgumentException("Augmenter.Apply: source and destination share memory; views must go to a separate tensor.", nameof(destination));
        }
        int batch = source.Dim(0), channels = source.Dim(1), height = source.Dim(2), width = source.Dim(3);
        var k = Options.Multiplicity;
        var pad = Options.Padding;
        if (k > 1 && Options.PaddingMode == PaddingMode.Reflect && (pad >= height || pad >= width))
        {
            throw new ArgumentException($"Augmenter.Apply: reflect padding {pad} needs images larger than {pad}×{pad}, got {height}×{width}.", nameof(source));
        }
        destination.Resize(checked(batch * k), channels, height, width);
        var imageLength = channels * height * width;
        if (k == 1)
        {
            source.Span.CopyTo(destination.Span);
            return;
        }

        var views = batch * k;
        if (draws.Length < 3 * views)
        {
            draws = new int[3 * views];
        }
        var flip = Options.HorizontalFlip;
        for (var v = 0; v < views; v++)
        {
            draws[3 * v] = random.NextInt(2 * pad + 1) - pad;
            draws[3 * v + 1] = random.NextInt(2 * pad + 1) - pad;
            draws[3 * v + 2] = flip ? random.NextInt(2) : 0;
        }

        var zero = Options.PaddingMode == PaddingMode.Zero;
        if ((long)views * imageLength < BatchAssembler.ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var v = 0; v < views; v++)
            {
                CopyView(source.Data, destination.Data, v, k, channels, height, width, zero);
            }
            return;
        }
        var src = source.Data;
        var dst = destination.Data;
        Parallel.For(0, views, v => CopyView(src, dst, v, k, channels, height, width, zero));
    }

    /// <summary>
    /// Repeats each label K times so it lines up with the rows <see cref="Apply"/> writes:
    /// destination[i·K + j] = labels[i]. <paramref name="destination"/> must hold B·K values.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void ExpandLabels(ReadOnlySpan<int> labels, Span<int> destination)
    {
        var k = Options.Multiplicity;
        if (destination.Length < (long)labels.Length * k)
        {
            throw new ArgumentException($"Augmenter.ExpandLabels: {labels.Length} labels × K = {k} need {labels.Length * k} values, destination holds {destination.Length}.", nameof(destination));
        }
        for (var i = 0; i < labels.Length; i++)
        {
            destination.Slice(i * k, k).Fill(labels[i]);
        }
    }

    private void CopyView(float[] source, float[] destination, int view, int k, int channels, int height, int width, bool zero)
    {
        var dx = draws[3 * view];
        var dy = draws[3 * view + 1];
        var flip = draws[3 * view + 2] != 0;
        var plane = height * width;
        var image = source.AsSpan(view / k * channels * plane, channels * plane);
        var output = destination.AsSpan(view * channels * plane, channels * plane);
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                var row = output.Slice(c * plane + y * width, width);
                var sy = y + dy;
                if ((uint)sy >= (uint)height)
                {
                    if (zero)
                    {
                        row.Clear();
                        continue;
                    }
                    sy = Reflect(sy, height);
                }
                CopyRowShifted(image.Slice(c * plane + sy * width, width), row, dx, zero);
                if (flip)
                {
                    row.Reverse();
                }
            }
        }
    }

    // row[x] = padded source[x + dx]: the in-range middle is one block copy, the ≤ p border
    // pixels on the shifted-in side are mirrored or zeroed.
    private static void CopyRowShifted(ReadOnlySpan<float> source, Span<float> row, int dx, bool zero)
    {
        var width = row.Length;
        var lo = Math.Clamp(-dx, 0, width);
        var hi = Math.Clamp(width - dx, lo, width);
        if (hi > lo)
        {
            source.Slice(lo + dx, hi - lo).CopyTo(row.Slice(lo));
        }
        for (var x = 0; x < lo; x++)
        {
            row[x] = zero ? 0f : source[Reflect(x + dx, width)];
        }
        for (var x = hi; x < width; x++)
        {
            row[x] = zero ? 0f : source[Reflect(x + dx, width)];
        }
    }

    // NumPy "reflect" for −n < i < 2n − 1: −1 → 1, n → n − 2.
    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}
