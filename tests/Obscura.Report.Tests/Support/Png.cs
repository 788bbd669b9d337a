using System.Buffers.Binary;
using System.IO.Compression;

namespace Obscura.Report.Tests.Support;

/// <summary>
/// A minimal PNG decoder for screenshots: 8-bit RGB or RGBA, not interlaced (what Chromium writes).
/// Decodes to RGBA rows so a test can look at the pixels.
/// </summary>
public sealed class Png
{
    private Png(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels as R, G, B, A bytes, row by row, [Height, Width, 4].</summary>
    public byte[] Rgba { get; }

    public static Png Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G')
        {
            throw new InvalidDataException($"{path}: not a PNG file.");
        }
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, color, interlace) = (data[8], data[9], data[12]);
                channels = color switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"{path}: colour type {color} not supported.") };
                if (depth != 8 || interlace != 0)
                {
                    throw new InvalidDataException($"{path}: bit depth {depth}, interlace {interlace}: only 8-bit, non-interlaced is supported.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        var filtered = raw.ToArray();
        var stride = width * channels;
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (stride + 1)];
            var line = filtered.AsSpan(y * (stride + 1) + 1, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{path}: filter {filter} on row {y}."),
                };
                pixels[y * stride + x] = (byte)(line[x] + predicted);
            }
        }
        var rgba = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            rgba[4 * i] = pixels[channels * i];
            rgba[4 * i + 1] = pixels[channels * i + 1];
            rgba[4 * i + 2] = pixels[channels * i + 2];
            rgba[4 * i + 3] = channels == 4 ? pixels[channels * i + 3] : (byte)255;
        }
        return new Png(width, height, rgba);
    }

    /// <summary>How many pixels are within <paramref name="tolerance"/> per channel of the colour #rrggbb.</summary>
    public int Count(string hex, int tolerance = 8)
    {
        var r = Convert.ToInt32(hex[1..3], 16);
        var g = Convert.ToInt32(hex[3..5], 16);
        var b = Convert.ToInt32(hex[5..7], 16);
        var n = 0;
        for (var i = 0; i < Rgba.Length; i += 4)
        {
            if (Math.Abs(Rgba[i] - r) <= tolerance && Math.Abs(Rgba[i + 1] - g) <= tolerance && Math.Abs(Rgba[i + 2] - b) <= tolerance)
            {
                n++;
            }
        }
        return n;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
