using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Data;

/// <summary>
/// Per-channel affine normalisation applied after scaling bytes to [0, 1]:
/// x = (b / 255 − Mean[c]) / Std[c]. A single mean/std applies to every channel.
/// </summary>
public sealed record PixelNormalization(float[] Mean, float[] Std)
{
    // Bytes are converted in blocks that stay in cache between the four vectorised passes.
    private const int Block = 16384;

    /// <summary>Only the scaling to [0, 1] (mean 0, std 1).</summary>
    public static PixelNormalization Unit { get; } = new([0f], [1f]);

    /// <summary>Mean and std of each of <paramref name="channels"/> channels, checked.</summary>
    /// <exception cref="ArgumentException">Mean/Std lengths are not 1 or <paramref name="channels"/>, or a std is not positive and finite.</exception>
    internal (float Mean, float Std)[] PerChannel(int channels)
    {
        if ((Mean.Length != 1 && Mean.Length != channels) || (Std.Length != 1 && Std.Length != channels))
        {
            var expected = channels == 1 ? "grey images take one mean and one std" : $"images of {channels} channels take one mean and std for all, or one per channel";
            throw new ArgumentException($"Pixel standardisation (--pixel-mean, --pixel-std): {expected}; got {Mean.Length} means and {Std.Length} stds.");
        }
        var result = new (float, float)[channels];
        for (var c = 0; c < channels; c++)
        {
            var mean = Mean[Mean.Length == 1 ? 0 : c];
            var std = Std[Std.Length == 1 ? 0 : c];
            if (!(std > 0) || !float.IsFinite(std) || !float.IsFinite(mean))
            {
                throw new ArgumentException($"Pixel standardisation (--pixel-mean, --pixel-std): channel {c} has mean {mean} and std {std}; the std must be positive and both finite.");
            }
            result[c] = (mean, std);
        }
        return result;
    }

    /// <summary>Planar bytes (whole images of <paramref name="channels"/> planes of <paramref name="planeLength"/> values) to floats, as the dataset loaders convert them.</summary>
    public float[] ToFloats(ReadOnlySpan<byte> source, int channels, int planeLength)
    {
        var result = new float[source.Length];
        Convert(source, result, PerChannel(channels), planeLength);
        return result;
    }

    /// <summary>
    /// Converts planar bytes to floats, (b / 255 − mean) / std, evaluated in exactly that order so the
    /// result is the same as the scalar formula. <paramref name="source"/> and
    /// <paramref name="destination"/> hold whole images of one plane per channel, each of
    /// <paramref name="planeLength"/> values.
    /// </summary>
    internal static void Convert(ReadOnlySpan<byte> source, Span<float> destination, (float Mean, float Std)[] channels, int planeLength)
    {
        if (channels.Length == 1)
        {
            ConvertPlane(source, destination[..source.Length], channels[0].Mean, channels[0].Std);
            return;
        }
        var imageLength = channels.Length * planeLength;
        for (var offset = 0; offset < source.Length; offset += imageLength)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                var start = offset + c * planeLength;
                ConvertPlane(source.Slice(start, planeLength), destination.Slice(start, planeLength), channels[c].Mean, channels[c].Std);
            }
        }
    }

    private static void ConvertPlane(ReadOnlySpan<byte> source, Span<float> destination, float mean, float std)
    {
        for (var start = 0; start < source.Length; start += Block)
        {
            var length = Math.Min(Block, source.Length - start);
            var dst = destination.Slice(start, length);
            TensorPrimitives.ConvertChecked(source.Slice(start, length), dst);
            TensorPrimitives.Divide(dst, 255f, dst);
            TensorPrimitives.Subtract(dst, mean, dst);
            TensorPrimitives.Divide(dst, std, dst);
        }
    }
}
