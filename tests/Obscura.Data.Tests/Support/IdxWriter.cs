using System.Buffers.Binary;
using System.IO.Compression;

namespace Obscura.Data.Tests.Support;

/// <summary>Writes IDX files (and deliberately broken variants) for the reader tests.</summary>
public static class IdxWriter
{
    /// <summary>The bytes of an IDX file: magic 00 00 type rank, big-endian dimensions, data.</summary>
    public static byte[] Encode(int[] dimensions, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return memory.ToArray();
    }

    public static string Write(string path, int[] dimensions, byte[] data, bool gzip = false)
    {
        var bytes = Encode(dimensions, data);
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        return path;
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A small MNIST-format pair of image/label files in <paramref name="directory"/> under the given base names.</summary>
    public static (byte[] Pixels, byte[] Labels) WritePair(string directory, string imagesName, string labelsName, int count, int height, int width, int classes, bool gzip, int seed)
    {
        var pixels = Bytes(count * height * width, seed);
        var labels = Bytes(count, seed + 1).Select(b => (byte)(b % classes)).ToArray();
        Write(Path.Combine(directory, imagesName + (gzip ? ".gz" : "")), [count, height, width], pixels, gzip);
        Write(Path.Combine(directory, labelsName + (gzip ? ".gz" : "")), [count], labels, gzip);
        return (pixels, labels);
    }
}
