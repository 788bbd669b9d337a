using System.Buffers.Binary;

namespace Obscura.Data;

/// <summary>
/// The EXIF orientation a camera records instead of rotating the pixels (tag 0x0112 in a JPEG's
/// APP1 "Exif" segment): 1 upright, 2 mirrored left–right, 3 turned 180°, 4 mirrored top–bottom,
/// 5 transposed, 6 to be turned 90° clockwise, 7 transversed, 8 to be turned 90° anticlockwise.
/// <see cref="Apply"/> turns the pixels upright, as a photo viewer shows them.
/// </summary>
public static class ExifOrientation
{
    /// <summary>The orientation in an APP1 segment's payload, or null when it holds none (or is malformed).</summary>
    public static int? Read(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1[..6].SequenceEqual("Exif\0\0"u8))
        {
            return null;
        }
        var tiff = app1[6..];
        var little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M'))
        {
            return null;
        }
        var ifd = U32(tiff, 4, little);
        if (U16(tiff, 2, little) != 42 || ifd < 8 || ifd + 2 > tiff.Length)
        {
            return null;
        }
        var entries = U16(tiff, (int)ifd, little);
        for (var i = 0; i < entries; i++)
        {
            var entry = (int)ifd + 2 + 12 * i;
            if (entry + 12 > tiff.Length)
            {
                return null;
            }
            if (U16(tiff, entry, little) == 0x0112 && U16(tiff, entry + 2, little) == 3)
            {
                var value = U16(tiff, entry + 8, little);
                return value is >= 1 and <= 8 ? value : null;
            }
        }
        return null;
    }

    // TIFF integers in the file's byte order; −1 past the end.
    private static int U16(ReadOnlySpan<byte> tiff, int at, bool little) =>
        at + 2 <= tiff.Length ? (little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt16BigEndian(tiff[at..])) : -1;

    private static long U32(ReadOnlySpan<byte> tiff, int at, bool little) =>
        at + 4 <= tiff.Length ? (little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[at..])) : -1;

    /// <summary>Planar pixels [channels, height, width] turned upright; orientations 5–8 swap height and width.</summary>
    public static (byte[] Pixels, int Height, int Width) Apply(byte[] pixels, int channels, int height, int width, int orientation)
    {
        if (orientation == 1)
        {
            return (pixels, height, width);
        }
        var swap = orientation >= 5;
        var (outHeight, outWidth) = swap ? (width, height) : (height, width);
        var output = new byte[pixels.Length];
        for (var c = 0; c < channels; c++)
        {
            var source = pixels.AsSpan(c * height * width, height * width);
            var target = output.AsSpan(c * height * width, height * width);
            for (var y = 0; y < outHeight; y++)
            {
                for (var x = 0; x < outWidth; x++)
                {
                    // (sx, sy): the stored pixel that appears at (x, y) once upright.
                    var (sx, sy) = orientation switch
                    {
                        2 => (width - 1 - x, y),
                        3 => (width - 1 - x, height - 1 - y),
                        4 => (x, height - 1 - y),
                        5 => (y, x),
                        6 => (y, height - 1 - x),
                        7 => (width - 1 - y, height - 1 - x),
                        8 => (width - 1 - y, x),
                        _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "EXIF orientation is 1 to 8."),
                    };
                    target[y * outWidth + x] = source[sy * width + sx];
                }
            }
        }
        return (output, outHeight, outWidth);
    }
}
