using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Data;

/// <summary>
/// Standardises each image by its own statistics: x ← (x − μ) / max(s, <see cref="MinStd"/>), where
/// μ and s are the mean and standard deviation of the image's C·H·W values (all channels together,
/// so the balance between colour channels survives). The floor keeps a flat image flat (all zeros)
/// instead of blowing up its rounding noise. An image's result depends on that image alone, so in
/// a private run it is a per-example transform that costs no privacy, unlike statistics computed
/// over the training set.
/// </summary>
public static class PerImageStandardisation
{
    /// <summary>
    /// The smallest std divided by: about one grey level of an 8-bit image once pixels are
    /// standardised by a dataset's statistics (Fashion-MNIST's is 1/(255 · 0.353) ≈ 0.011), where
    /// an image has nothing left but quantisation. Fashion-MNIST's flattest image has std 0.18.
    /// </summary>
    public const double MinStd = 0.01;

    /// <summary>A copy of <paramref name="images"/> with every image standardised; labels and shape unchanged.</summary>
    public static ImageDataset Apply(ImageDataset images)
    {
        var length = images.ImageLength;
        var pixels = GC.AllocateUninitializedArray<float>(images.Pixels.Length);
        Parallel.For(0, images.Count, i => Standardise(images.PixelArray.AsSpan(i * length, length), pixels.AsSpan(i * length, length)));
        return new ImageDataset(images.Name + "/per-image", pixels, images.Labels.ToArray(), images.Channels, images.Height, images.Width,
            images.ClassCount, images.ClassNames);
    }

    /// <summary>
    /// One image: <paramref name="destination"/> = (<paramref name="source"/> − μ) / max(s, <see cref="MinStd"/>).
    /// The mean and variance are accumulated in double, so long images lose no precision.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static void Standardise(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != destination.Length || source.Length == 0)
        {
            throw new ArgumentException($"Per-image standardisation: source has {source.Length} values and destination {destination.Length}; both must hold the same non-empty image.");
        }
        double sum = 0;
        foreach (var x in source)
        {
            sum += x;
        }
        var mean = sum / source.Length;
        double squares = 0;
        foreach (var x in source)
        {
            squares += (x - mean) * (x - mean);
        }
        var std = Math.Max(Math.Sqrt(squares / source.Length), MinStd);
        TensorPrimitives.Subtract(source, (float)mean, destination);
        TensorPrimitives.Divide(destination, (float)std, destination);
    }
}
