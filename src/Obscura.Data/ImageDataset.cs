using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Obscura.Data;

/// <summary>
/// N labelled images held in memory: pixels as float32 [N, C, H, W] in one contiguous array,
/// labels [N] in 0..ClassCount−1. Immutable after construction; subsets and splits copy.
/// </summary>
public sealed class ImageDataset
{
    private readonly float[] pixels;
    private readonly int[] labels;
    private string? contentHash;

    /// <summary>Wraps the arrays (not copied; the caller must not change them afterwards).</summary>
    /// <param name="name">For messages and reports, e.g. "fashion-mnist/train".</param>
    /// <param name="pixels">[N, C, H, W], exactly N·C·H·W values.</param>
    /// <param name="labels">[N], each in 0..classCount−1.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="classCount">Number of classes; labels are below it.</param>
    /// <param name="classNames">Optional, one per class.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a dimension is not positive, a label is out of range, or the class names do not match the class count.</exception>
    public ImageDataset(string name, float[] pixels, int[] labels, int channels, int height, int width, int classCount, IReadOnlyList<string>? classNames = null)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || classCount <= 0)
        {
            throw new ArgumentException($"ImageDataset '{name}': channels {channels}, height {height}, width {width} and class count {classCount} must all be positive.");
        }
        var imageLength = (long)channels * height * width;
        if (pixels.Length != labels.Length * imageLength)
        {
            throw new ArgumentException($"ImageDataset '{name}': {labels.Length} labels of [{channels}, {height}, {width}] images need {labels.Length * imageLength} pixel values, got {pixels.Length}.");
        }
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"ImageDataset '{name}': label {labels[i]} of example {i} is outside 0..{classCount - 1}.");
            }
        }
        if (classNames is not null && classNames.Count != classCount)
        {
            throw new ArgumentException($"ImageDataset '{name}': {classNames.Count} class names for {classCount} classes.");
        }
        Name = name;
        this.pixels = pixels;
        this.labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        ClassNames = classNames;
    }

    public string Name { get; }

    /// <summary>Number of examples N.</summary>
    public int Count => labels.Length;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int ClassCount { get; }

    /// <summary>Human-readable class names, indexed by label, when known.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>C·H·W, the values per image.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>[N, C, H, W].</summary>
    public int[] Shape => [Count, Channels, Height, Width];

    /// <summary>Shape of one image, [C, H, W].</summary>
    public int[] ItemShape => [Channels, Height, Width];

    /// <summary>
    /// Seeded random images in [0, 1) with random labels: for benchmarks and tests, never for
    /// anything a user would evaluate.
    /// </summary>
    public static ImageDataset Synthetic(int count, int[] itemShape, int classCount, int seed)
    {
        var rng = new Random(seed);
        var length = itemShape[0] * itemShape[1] * itemShape[2];
        var pixels = new float[checked(count * length)];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)rng.NextDouble();
        }
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = rng.Next(classCount);
        }
        return new ImageDataset("synthetic", pixels, labels, itemShape[0], itemShape[1], itemShape[2], classCount);
    }

    /// <summary>All pixels, [N, C, H, W].</summary>
    public ReadOnlySpan<float> Pixels => pixels;

    /// <summary>The backing array of <see cref="Pixels"/>, for parallel copies that cannot capture a span.</summary>
    internal float[] PixelArray => pixels;

    /// <summary>All labels, [N].</summary>
    public ReadOnlySpan<int> Labels => labels;

    /// <summary>The pixels of example <paramref name="index"/>, [C, H, W].</summary>
    public ReadOnlySpan<float> Image(int index) => pixels.AsSpan(checked(index * ImageLength), ImageLength);

    /// <summary>The label of example <paramref name="index"/>.</summary>
    public int Label(int index) => labels[index];

    /// <summary>
    /// SHA-256 (lowercase hex) over the shape [N, C, H, W], the class count, the labels and the
    /// pixels as raw little-endian bytes: equal hashes mean equal content (names are not hashed),
    /// so it can key caches of derived features. Computed once, on first use.
    /// </summary>
    public string ContentHash => contentHash ??= ComputeHash();

    /// <summary>A copy holding the examples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..N−1.</exception>
    public ImageDataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var size = ImageLength;
        var newPixels = GC.AllocateUninitializedArray<float>(indices.Length * size);
        var newLabels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"ImageDataset '{Name}'.Subset: index {index} at position {i} is outside 0..{Count - 1}.");
            }
            pixels.AsSpan(index * size, size).CopyTo(newPixels.AsSpan(i * size, size));
            newLabels[i] = labels[index];
        }
        return new ImageDataset(name ?? $"{Name}/subset({indices.Length})", newPixels, newLabels, Channels, Height, Width, ClassCount, ClassNames);
    }

    /// <summary>A copy holding this dataset's examples followed by those of <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentException">The image shapes or the class counts differ.</exception>
    public ImageDataset Concat(ImageDataset other, string? name = null)
    {
        if (other.Channels != Channels || other.Height != Height || other.Width != Width || other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"ImageDataset '{Name}'.Concat: '{other.Name}' has [{other.Channels}, {other.Height}, {other.Width}] images of {other.ClassCount} classes, expected [{Channels}, {Height}, {Width}] and {ClassCount}.");
        }
        var newPixels = GC.AllocateUninitializedArray<float>(pixels.Length + other.pixels.Length);
        pixels.CopyTo(newPixels, 0);
        other.pixels.CopyTo(newPixels, pixels.Length);
        return new ImageDataset(name ?? $"{Name}+{other.Name}", newPixels, [.. labels, .. other.labels], Channels, Height, Width, ClassCount, ClassNames);
    }

    /// <summary>
    /// Carves a validation set out of this one: a seeded permutation (SplitMix64 + Fisher–Yates,
    /// stable across .NET versions) picks <paramref name="validationCount"/> examples; both parts
    /// keep the original order. The same seed always gives the same split.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationCount"/> is outside 0..N.</exception>
    public (ImageDataset Train, ImageDataset Validation) Split(int validationCount, ulong seed)
    {
        if ((uint)validationCount > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"ImageDataset '{Name}'.Split: validation count {validationCount} is outside 0..{Count}.");
        }
        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        new SplitMix64(seed).Shuffle(order);
        var validation = order.AsSpan(0, validationCount);
        var train = order.AsSpan(validationCount);
        validation.Sort();
        train.Sort();
        return (Subset(train, $"{Name}/split-train(seed={seed})"), Subset(validation, $"{Name}/split-validation(seed={seed})"));
    }

    /// <summary>Number of examples of each class, [ClassCount].</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in labels)
        {
            counts[label]++;
        }
        return counts;
    }

    public override string ToString() => $"{Name} [{Count}, {Channels}, {Height}, {Width}], {ClassCount} classes";

    private string ComputeHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadOnlySpan<int> header = [Count, Channels, Height, Width, ClassCount];
        AppendLittleEndian(hash, header);
        AppendLittleEndian(hash, labels);
        AppendLittleEndian(hash, pixels);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendLittleEndian<T>(IncrementalHash hash, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            // Every supported .NET target is little-endian; refuse rather than hash differently.
            throw new PlatformNotSupportedException("ImageDataset.ContentHash assumes a little-endian machine.");
        }
        hash.AppendData(MemoryMarshal.AsBytes(values));
    }
}
