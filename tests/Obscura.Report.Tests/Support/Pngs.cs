namespace Obscura.Report.Tests.Support;

/// <summary>Test images written as files.</summary>
public static class Pngs
{
    /// <summary>An 8-bit grey PNG with unfiltered rows.</summary>
    public static byte[] GreyPng(byte[] pixels, int width, int height)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            raw.Write(pixels, y * width, width);
        }
        using var zlib = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }
        byte[] header = [0, 0, 0, (byte)width, 0, 0, 0, (byte)height, 8, 0, 0, 0, 0];
        using var file = new MemoryStream();
        file.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        foreach (var (type, data) in new[] { ("IHDR", header), ("IDAT", zlib.ToArray()), ("IEND", Array.Empty<byte>()) })
        {
            var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            file.Write(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(data.Length)));
            file.Write(body);
            file.Write(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Data.Png.Crc32(body))));
        }
        return file.ToArray();
    }
}
