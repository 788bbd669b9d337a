using System.Buffers.Binary;
using System.IO.Compression;

namespace Obscura.Data;

/// <summary>
/// A PNG reader for the images a user hands to <c>obscura predict</c>: every colour type (grey,
/// grey + alpha, RGB, RGBA, palette) at every bit depth the format allows, non-interlaced. Output is
/// planar bytes [channels, height, width]: one channel for grey images, three for colour ones;
/// alpha is composited over black (a photographed object on a plain dark background, as in
/// Fashion-MNIST); 16-bit samples keep their high byte. Chunk checksums are verified. Every error
/// is an <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class Png
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Largest width or height accepted (guards memory against a corrupt header).</summary>
    public const int MaxSide = 16384;

    /// <summary>Decodes <paramref name="path"/>.</summary>
    public static (byte[] Pixels, int Channels, int Height, int Width) Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Decodes PNG bytes; <paramref name="name"/> is used in error messages.</summary>
    public static (byte[] Pixels, int Channels, int Height, int Width) Decode(byte[] file, string name)
    {
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw Invalid(name, "not a PNG file (its first 8 bytes are not the PNG signature)");
        }
        var header = default(Header);
        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        using var compressed = new MemoryStream();
        var seenHeader = false;
        var seenEnd = false;
        for (var at = 8; !seenEnd;)
        {
            if (at + 12 > file.Length)
            {
                throw Invalid(name, "the file ends before its IEND chunk (truncated?)");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            if (length > int.MaxValue || at + 12 + (long)length > file.Length)
            {
                throw Invalid(name, $"chunk at byte {at} claims {length} bytes, past the end of the file (truncated?)");
            }
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, (int)length);
            var stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + (int)length));
            if (Crc32(file.AsSpan(at + 4, 4 + (int)length)) != stored)
            {
                throw Invalid(name, $"chunk {type} at byte {at} fails its CRC check (the file is corrupt)");
            }
            switch (type)
            {
                case "IHDR":
                    header = Header.Parse(data, name);
                    seenHeader = true;
                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "tRNS" when header.ColorType == 3:
                    paletteAlpha = data.ToArray();
                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
                case "IEND":
                    seenEnd = true;
                    break;
            }
            if (!seenHeader)
            {
                throw Invalid(name, "the first chunk is not IHDR");
            }
            at += 12 + (int)length;
        }
        if (header.ColorType == 3 && (palette is null || palette.Length % 3 != 0))
        {
            throw Invalid(name, "a palette image without a valid PLTE chunk");
        }
        var raw = Inflate(compressed, header, name);
        Unfilter(raw, header, name);
        return ToPlanar(raw, header, palette, paletteAlpha, name);
    }

    private readonly record struct Header(int Width, int Height, int BitDepth, int ColorType)
    {
        /// <summary>Samples per pixel in the file.</summary>
        public int Samples => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

        /// <summary>Bytes per row, without the filter byte.</summary>
        public int RowBytes => (Width * Samples * BitDepth + 7) / 8;

        /// <summary>Bytes between a byte and the one its filter predicts from (at least 1).</summary>
        public int PixelBytes => Math.Max(1, Samples * BitDepth / 8);

        public static Header Parse(ReadOnlySpan<byte> d, string name)
        {
            if (d.Length != 13)
            {
                throw Invalid(name, $"IHDR has {d.Length} bytes, not 13");
            }
            var h = new Header((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(d), int.MaxValue), (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(d[4..]), int.MaxValue), d[8], d[9]);
            var depthOk = h.ColorType switch
            {
                0 => h.BitDepth is 1 or 2 or 4 or 8 or 16,
                3 => h.BitDepth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => h.BitDepth is 8 or 16,
                _ => false,
            };
            if (!depthOk)
            {
                throw Invalid(name, $"colour type {h.ColorType} with bit depth {h.BitDepth} is not valid PNG");
            }
            if (h.Width < 1 || h.Height < 1 || h.Width > MaxSide || h.Height > MaxSide)
            {
                throw Invalid(name, $"size {h.Width}×{h.Height} is outside 1…{MaxSide} pixels per side");
            }
            if (d[10] != 0 || d[11] != 0)
            {
                throw Invalid(name, $"compression method {d[10]} / filter method {d[11]} is not PNG's 0 / 0");
            }
            if (d[12] != 0)
            {
                throw Invalid(name, "the image is interlaced (Adam7); save it without interlacing");
            }
            return h;
        }
    }

    private static byte[] Inflate(MemoryStream compressed, Header h, string name)
    {
        var expected = (long)h.Height * (h.RowBytes + 1);
        var raw = new byte[expected];
        compressed.Position = 0;
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            var filled = 0;
            while (filled < raw.Length)
            {
                var n = inflater.Read(raw, filled, raw.Length - filled);
                if (n == 0)
                {
                    throw Invalid(name, $"the image data holds {filled} bytes, {expected} expected for {h.Width}×{h.Height}");
                }
                filled += n;
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            throw Invalid(name, $"the image data does not decompress ({e.Message})");
        }
        return raw;
    }

    // Reverses each row's filter in place (rows are [filter byte, RowBytes bytes]).
    private static void Unfilter(byte[] raw, Header h, string name)
    {
        var stride = h.RowBytes + 1;
        var bpp = h.PixelBytes;
        for (var y = 0; y < h.Height; y++)
        {
            var row = raw.AsSpan(y * stride + 1, h.RowBytes);
            var above = y == 0 ? Span<byte>.Empty : raw.AsSpan((y - 1) * stride + 1, h.RowBytes);
            var filter = raw[y * stride];
            for (var i = 0; i < row.Length; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0;
                int b = y > 0 ? above[i] : 0;
                int c = i >= bpp && y > 0 ? above[i - bpp] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw Invalid(name, $"row {y} has filter type {filter}; PNG defines 0 to 4"),
                };
                row[i] = (byte)(row[i] + predicted);
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c;
    }).ToArray();

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return c ^ 0xFFFFFFFFu;
    }

    private static (byte[] Pixels, int Channels, int Height, int Width) ToPlanar(byte[] raw, Header h, byte[]? palette, byte[]? paletteAlpha, string name)
    {
        var plane = h.Width * h.Height;
        var channels = h.ColorType is 0 or 4 ? 1 : 3;
        var pixels = new byte[channels * plane];
        var stride = h.RowBytes + 1;
        var maxSample = (1 << h.BitDepth) - 1;
        for (var y = 0; y < h.Height; y++)
        {
            var row = raw.AsSpan(y * stride + 1, h.RowBytes);
            for (var x = 0; x < h.Width; x++)
            {
                var at = y * h.Width + x;
                if (h.ColorType == 3)
                {
                    var index = Sample(row, x, h.BitDepth);
                    if (index * 3 + 2 >= palette!.Length)
                    {
                        throw Invalid(name, $"pixel ({x}, {y}) uses palette entry {index}, but the palette has {palette.Length / 3}");
                    }
                    var alpha = paletteAlpha is not null && index < paletteAlpha.Length ? paletteAlpha[index] : 255;
                    for (var c = 0; c < 3; c++)
                    {
                        pixels[c * plane + at] = OverBlack(palette[index * 3 + c], alpha);
                    }
                    continue;
                }
                var samples = h.Samples;
                var colours = channels;
                var alphaValue = samples > colours ? Eight(row, x * samples + colours, h.BitDepth, maxSample) : 255;
                for (var c = 0; c < colours; c++)
                {
                    pixels[c * plane + at] = OverBlack(Eight(row, x * samples + c, h.BitDepth, maxSample), alphaValue);
                }
            }
        }
        return (pixels, channels, h.Height, h.Width);
    }

    // The s-th sample of a row at the given bit depth, as an unsigned integer.
    private static int Sample(ReadOnlySpan<byte> row, int s, int depth) => depth switch
    {
        8 => row[s],
        16 => (row[2 * s] << 8) | row[2 * s + 1],
        _ => (row[s * depth / 8] >> (8 - depth - s * depth % 8)) & ((1 << depth) - 1),
    };

    // The s-th sample scaled to 0…255 (16-bit: its high byte; below 8 bits: spread over the range).
    private static byte Eight(ReadOnlySpan<byte> row, int s, int depth, int maxSample) => depth switch
    {
        8 => row[s],
        16 => row[2 * s],
        _ => (byte)(Sample(row, s, depth) * 255 / maxSample),
    };

    private static byte OverBlack(int value, int alpha) => (byte)((value * alpha + 127) / 255);

    private static InvalidDataException Invalid(string name, string problem) => new($"{name}: {problem}.");
}
