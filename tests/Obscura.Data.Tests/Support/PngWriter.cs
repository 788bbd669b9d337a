using System.Buffers.Binary;
using System.IO.Compression;

namespace Obscura.Data.Tests.Support;

/// <summary>
/// Test encoder: writes PNGs from unpacked samples at any bit depth and colour type, row i filtered
/// with filter type i mod 5 (so every filter is exercised), chunk CRCs by a bitwise CRC-32.
/// </summary>
public static class PngWriter
{
    /// <param name="samples">Per row, per pixel, per sample values (already in 0…2^depth − 1).</param>
    public static byte[] Encode(int width, int height, int depth, int colorType, int[][] samples,
        byte[]? palette = null, byte[]? transparency = null, bool interlaced = false, IDATSplit split = IDATSplit.One)
    {
        var rows = samples.Select(r => Pack(r, depth)).ToArray();
        var perPixel = Math.Max(1, samples[0].Length / width * depth / 8);
        using var filtered = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            var filter = y % 5;
            filtered.WriteByte((byte)filter);
            var row = rows[y];
            var above = y > 0 ? rows[y - 1] : new byte[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                int a = i >= perPixel ? row[i - perPixel] : 0, b = above[i], c = i >= perPixel ? above[i - perPixel] : 0;
                var predicted = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                filtered.WriteByte((byte)(row[i] - predicted));
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(filtered.ToArray());
        }
        using var file = new MemoryStream();
        file.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = (byte)depth;
        header[9] = (byte)colorType;
        header[12] = (byte)(interlaced ? 1 : 0);
        Chunk(file, "IHDR", header);
        if (palette is not null)
        {
            Chunk(file, "PLTE", palette);
        }
        if (transparency is not null)
        {
            Chunk(file, "tRNS", transparency);
        }
        var data = compressed.ToArray();
        if (split == IDATSplit.Two)
        {
            Chunk(file, "IDAT", data[..(data.Length / 2)]);
            Chunk(file, "IDAT", data[(data.Length / 2)..]);
        }
        else
        {
            Chunk(file, "IDAT", data);
        }
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    public enum IDATSplit { One, Two }

    private static byte[] Pack(int[] values, int depth)
    {
        if (depth == 16)
        {
            return values.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray();
        }
        var bytes = new byte[(values.Length * depth + 7) / 8];
        for (var i = 0; i < values.Length; i++)
        {
            var bit = i * depth;
            bytes[bit / 8] |= (byte)(values[i] << (8 - depth - bit % 8));
        }
        return bytes;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        file.Write(length);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(body);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, BitwiseCrc32(body));
        file.Write(crc);
    }

    private static uint BitwiseCrc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }
        return ~crc;
    }
}
