using System.Buffers;
using Obscura.Tensors;

namespace Obscura.Data;

/// <summary>Copies the examples a sampler chose into caller-owned, reused buffers.</summary>
public static class BatchAssembler
{
    /// <summary>Below this many floats a batch is copied on one thread; above it, the copy is split across cores.</summary>
    public const int ParallelThreshold = 1 << 18;

    /// <summary>
    /// images ← dataset[indices] as [B, C, H, W] (B = indices.Length, may be 0), labels[0..B) ←
    /// their labels. <paramref name="images"/> is resized (grow-only, so no allocation once it has
    /// held the largest batch); <paramref name="labels"/> must hold at least B values.
    /// Returns B. Nothing proportional to the batch is allocated once the tensor has grown: below
    /// <see cref="ParallelThreshold"/> only the shape array <see cref="Tensor.Resize"/> copies; above
    /// it also the small objects of <see cref="Parallel.For(int, int, Action{int})"/> and a pooled index copy.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..N−1 (checked before anything is copied).</exception>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is shorter than B.</exception>
    public static int Gather(ImageDataset dataset, ReadOnlySpan<int> indices, Tensor images, Span<int> labels)
    {
        var count = indices.Length;
        if (labels.Length < count)
        {
            throw new ArgumentException($"BatchAssembler.Gather: label buffer holds {labels.Length} values, batch has {count}.", nameof(labels));
        }
        var all = dataset.Labels;
        for (var i = 0; i < count; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"BatchAssembler.Gather: index {index} at position {i} is outside 0..{dataset.Count - 1} of '{dataset.Name}'.");
            }
            labels[i] = all[index];
        }

        images.Resize(count, dataset.Channels, dataset.Height, dataset.Width);
        var size = dataset.ImageLength;
        var source = dataset.PixelArray;
        var destination = images.Data;
        if ((long)count * size < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++)
            {
                source.AsSpan(indices[i] * size, size).CopyTo(destination.AsSpan(i * size, size));
            }
            return count;
        }

        var pooled = ArrayPool<int>.Shared.Rent(count);
        try
        {
            indices.CopyTo(pooled);
            Parallel.For(0, count, i => source.AsSpan(pooled[i] * size, size).CopyTo(destination.AsSpan(i * size, size)));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pooled);
        }
        return count;
    }
}
