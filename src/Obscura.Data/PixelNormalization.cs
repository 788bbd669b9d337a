namespace Obscura.Data;

/// <summary>
/// Per-channel affine normalisation applied after scaling bytes to [0, 1]:
/// x = (b / 255 − Mean[c]) / Std[c]. A single mean/std applies to every channel.
/// </summary>
public sealed record PixelNormalization(float[] Mean, float[] Std)
{
    /// <summary>Only the scaling to [0, 1] (mean 0, std 1).</summary>
    public static PixelNormalization Unit { get; } = new([0f], [1f]);

    /// <summary>
    /// One 256-entry table per channel mapping a byte to its normalised value, so a loader
    /// converts 47 M pixels with one lookup each and no per-pixel arithmetic or allocation.
    /// </summary>
    /// <exception cref="ArgumentException">Mean/Std lengths are not 1 or <paramref name="channels"/>, or a std is not positive and finite.</exception>
    internal float[][] LookupTables(int channels)
    {
        if ((Mean.Length != 1 && Mean.Length != channels) || (Std.Length != 1 && Std.Length != channels))
        {
            throw new ArgumentException($"PixelNormalization: {channels} channels need 1 or {channels} means and stds, got {Mean.Length} means and {Std.Length} stds.");
        }
        var tables = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var mean = Mean[Mean.Length == 1 ? 0 : c];
            var std = Std[Std.Length == 1 ? 0 : c];
            if (!(std > 0) || !float.IsFinite(std) || !float.IsFinite(mean))
            {
                throw new ArgumentException($"PixelNormalization: channel {c} has mean {mean} and std {std}; std must be positive and both finite.");
            }
            var table = new float[256];
            for (var b = 0; b < 256; b++)
            {
                table[b] = (b / 255f - mean) / std;
            }
            tables[c] = table;
        }
        return tables;
    }

    /// <summary>
    /// Converts planar bytes to floats: <paramref name="source"/> and <paramref name="destination"/>
    /// hold whole images of one plane per table (channel), each of <paramref name="planeLength"/> values.
    /// </summary>
    internal static void Convert(ReadOnlySpan<byte> source, Span<float> destination, float[][] tables, int planeLength)
    {
        var channels = tables.Length;
        if (channels == 1)
        {
            var table = tables[0];
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = table[source[i]];
            }
            return;
        }
        var imageLength = channels * planeLength;
        for (var offset = 0; offset < source.Length; offset += imageLength)
        {
            for (var c = 0; c < channels; c++)
            {
                var table = tables[c];
                var src = source.Slice(offset + c * planeLength, planeLength);
                var dst = destination.Slice(offset + c * planeLength, planeLength);
                for (var i = 0; i < src.Length; i++)
                {
                    dst[i] = table[src[i]];
                }
            }
        }
    }
}
