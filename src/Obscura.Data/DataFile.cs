using System.IO.Compression;

namespace Obscura.Data;

/// <summary>
/// Opens data files, plain or gzip (detected by the magic bytes 1f 8b, not by the name), and
/// builds error messages that name the file, the problem and how to get the data.
/// </summary>
internal static class DataFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>A stream over the file's content, decompressed when it is gzip.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist; the message carries <paramref name="hint"/>.</exception>
    public static Stream Open(string path, string hint, out bool gzip)
    {
        if (!File.Exists(path))
        {
            throw Missing(path, hint);
        }
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the stream ends; returns the count read.
    /// A corrupt gzip stream becomes an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static int ReadFull(Stream stream, Span<byte> buffer, string path, string hint)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"corrupt gzip stream ({e.Message})", hint);
        }
    }

    /// <summary>Counts the bytes left in the stream (for the "extra bytes" check).</summary>
    public static long CountRemaining(Stream stream, string path, string hint)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = ReadFull(stream, scratch, path, hint)) > 0)
        {
            total += read;
        }
        return total;
    }

    /// <summary>Reads the whole (decompressed) content.</summary>
    public static byte[] ReadAll(string path, string hint)
    {
        using var stream = Open(path, hint, out var gzip);
        if (!gzip)
        {
            var bytes = new byte[stream.Length];
            var read = ReadFull(stream, bytes, path, hint);
            return read == bytes.Length ? bytes : bytes[..read];
        }
        using var memory = new MemoryStream();
        try
        {
            stream.CopyTo(memory);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"corrupt gzip stream ({e.Message})", hint);
        }
        return memory.ToArray();
    }

    public static InvalidDataException Invalid(string path, string problem, string hint) =>
        new($"{path}: {problem}. {hint}");

    public static FileNotFoundException Missing(string path, string hint) =>
        new($"{path}: file not found. {hint}", path);
}
