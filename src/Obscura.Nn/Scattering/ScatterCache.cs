using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Obscura.Nn.Scattering;

/// <summary>
/// Scattering features of a whole dataset, computed once and kept on disk. The file name and the
/// header carry a SHA-256 key of (format and algorithm versions, J, L, image count and shape, every
/// pixel's float32 bits); the header also carries a SHA-256 of the payload. A file that is missing,
/// truncated, corrupt, of another version or for another key is recomputed and replaced, never
/// trusted. Writes go to a temporary file in the same directory that is then renamed over the
/// target, so readers see either the old complete file or the new complete file.
/// </summary>
/// <remarks>
/// File layout (little-endian): magic "OBSCSCAT" · int32 format version · 32-byte key ·
/// int32 count · int32 maps (PathsPerChannel·C) · int32 height · int32 width · int64 payload bytes ·
/// 32-byte payload SHA-256 · payload (count·maps·height·width float32, image-major, as
/// <see cref="ScatterNet.Transform(Obscura.Tensors.Tensor, Obscura.Tensors.Tensor)"/> writes them).
/// </remarks>
public static class ScatterCache
{
    /// <summary>Layout of the file; bump when the header or payload layout changes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Version of the computed features; bump whenever ScatterNet's output changes.</summary>
    public const int AlgorithmVersion = 1;

    private static readonly byte[] Magic = "OBSCSCAT"u8.ToArray();
    private const int HeaderLength = 8 + 4 + 32 + 4 * 4 + 8 + 32;
    private const int ChunkFloats = 1 << 22; // 16 MiB per read, write or hash step

    /// <summary>$XDG_CACHE_HOME/obscura, or ~/.cache/obscura when XDG_CACHE_HOME is unset or empty.</summary>
    public static string DefaultDirectory() =>
        DefaultDirectory(Environment.GetEnvironmentVariable("XDG_CACHE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The default directory for the given XDG_CACHE_HOME value and home directory.</summary>
    public static string DefaultDirectory(string? xdgCacheHome, string home) =>
        string.IsNullOrEmpty(xdgCacheHome) ? Path.Combine(home, ".cache", "obscura") : Path.Combine(xdgCacheHome, "obscura");

    /// <summary>
    /// Features for <paramref name="count"/> images [C, H, W] in <paramref name="pixels"/>:
    /// [count, 81·C, H/4, W/4] flattened for J = 2, L = 8. Read from
    /// <paramref name="cacheDirectory"/> (default <see cref="DefaultDirectory()"/>) when a valid file
    /// for the same key exists, computed with <see cref="ScatterNet"/> and stored otherwise.
    /// <paramref name="log"/> receives one line saying which happened and why.
    /// </summary>
    public static float[] GetOrCompute(float[] pixels, int count, int c, int h, int w, string? cacheDirectory, Action<string>? log, int j = 2, int l = 8)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ScatterCache: the file stores raw little-endian float32; big-endian platforms are not supported.");
        }
        var imageLength = (long)c * h * w;
        if (count < 0 || c < 1 || h < 1 || w < 1 || pixels.Length < count * imageLength)
        {
            throw new ArgumentException($"ScatterCache: {count} images of [{c}, {h}, {w}] need {count * imageLength} pixels, got {pixels.Length}.");
        }
        if (j < 1 || l < 1 || h < 1 << j || w < 1 << j)
        {
            throw new ArgumentException($"ScatterCache: need J ≥ 1, L ≥ 1 and sides ≥ 2^J; got J={j}, L={l}, [{c}, {h}, {w}].");
        }
        var (paddedHeight, paddedWidth) = ScatterNet.PaddedSize(h, w, j);
        var shape = new FeatureShape(count, ScatterNet.PathCount(j, l) * c, (paddedHeight >> j) - 2, (paddedWidth >> j) - 2);
        var key = KeyOf(pixels.AsSpan(0, (int)(count * imageLength)), count, c, h, w, j, l);
        var directory = cacheDirectory ?? DefaultDirectory();
        CreateOwnerOnly(directory);
        var path = PathOf(directory, key);

        if (File.Exists(path))
        {
            var features = TryRead(path, key, shape, out var reason);
            if (features is not null)
            {
                log?.Invoke($"scatter cache: hit {path}");
                return features;
            }
            log?.Invoke($"scatter cache: {path} is not usable ({reason}); recomputing");
        }

        var clock = Stopwatch.StartNew();
        var net = new ScatterNet(c, h, w, j, l);
        var result = new float[shape.Floats];
        net.Transform(pixels.AsMemory(0, (int)(count * imageLength)), count, result);
        WriteAtomically(path, key, shape, result);
        log?.Invoke($"scatter cache: computed {count} images [{c}, {h}, {w}] → [{shape.Maps}, {shape.Height}, {shape.Width}] in {clock.Elapsed.TotalSeconds:F1} s, stored {path}");
        return result;
    }

    /// <summary>SHA-256 over the versions, J, L, count, shape and pixel bits (see the type remarks).</summary>
    public static byte[] KeyOf(ReadOnlySpan<float> pixels, int count, int c, int h, int w, int j, int l)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> settings = stackalloc byte[4 * 8];
        int[] values = [FormatVersion, AlgorithmVersion, j, l, count, c, h, w];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(settings[(4 * i)..], values[i]);
        }
        hash.AppendData("obscura-scatter"u8);
        hash.AppendData(settings);
        AppendFloats(hash, pixels);
        return hash.GetHashAndReset();
    }

    /// <summary>The file for a key: &lt;directory&gt;/scatter-&lt;64 hex digits&gt;.bin.</summary>
    public static string PathOf(string directory, byte[] key) => Path.Combine(directory, $"scatter-{Convert.ToHexStringLower(key)}.bin");

    private readonly record struct FeatureShape(int Count, int Maps, int Height, int Width)
    {
        public int Floats => checked(Count * Maps * Height * Width);
    }

    private static float[]? TryRead(string path, byte[] key, FeatureShape shape, out string reason)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var expectedBytes = 4L * shape.Floats;
            if (stream.Length != HeaderLength + expectedBytes)
            {
                reason = $"length {stream.Length} bytes, expected {HeaderLength + expectedBytes}";
                return null;
            }
            Span<byte> header = stackalloc byte[HeaderLength];
            stream.ReadExactly(header);
            var fields = header[(8 + 4 + 32)..];
            var stored = new FeatureShape(
                BinaryPrimitives.ReadInt32LittleEndian(fields), BinaryPrimitives.ReadInt32LittleEndian(fields[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(fields[8..]), BinaryPrimitives.ReadInt32LittleEndian(fields[12..]));
            reason = !header[..8].SequenceEqual(Magic) ? "not a scatter cache file"
                : BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FormatVersion ? "another format version"
                : !header.Slice(12, 32).SequenceEqual(key) ? "key mismatch"
                : stored != shape ? $"shape {stored}, expected {shape}"
                : BinaryPrimitives.ReadInt64LittleEndian(fields[16..]) != expectedBytes ? "payload length mismatch"
                : "";
            if (reason.Length > 0)
            {
                return null;
            }
            var features = new float[shape.Floats];
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var at = 0; at < features.Length; at += ChunkFloats)
            {
                var chunk = MemoryMarshal.AsBytes(features.AsSpan(at, Math.Min(ChunkFloats, features.Length - at)));
                stream.ReadExactly(chunk);
                hash.AppendData(chunk);
            }
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(fields.Slice(24, 32)))
            {
                reason = "payload checksum mismatch";
                return null;
            }
            return features;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"unreadable: {e.Message}";
            return null;
        }
    }

    // A new cache folder is the owner's only; an existing one keeps the permissions it has.
    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static FileStreamOptions OwnerOnly
    {
        get
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            return options;
        }
    }

    private static void WriteAtomically(string path, byte[] key, FeatureShape shape, float[] features)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Features of private images are as sensitive as the images: readable by their owner only.
            using (var stream = new FileStream(temporary, OwnerOnly))
            {
                Span<byte> header = stackalloc byte[HeaderLength];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
                key.CopyTo(header[12..]);
                var fields = header[(8 + 4 + 32)..];
                BinaryPrimitives.WriteInt32LittleEndian(fields, shape.Count);
                BinaryPrimitives.WriteInt32LittleEndian(fields[4..], shape.Maps);
                BinaryPrimitives.WriteInt32LittleEndian(fields[8..], shape.Height);
                BinaryPrimitives.WriteInt32LittleEndian(fields[12..], shape.Width);
                BinaryPrimitives.WriteInt64LittleEndian(fields[16..], 4L * features.Length);
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    AppendFloats(hash, features);
                    hash.GetHashAndReset().CopyTo(fields[24..]);
                }
                stream.Write(header);
                for (var at = 0; at < features.Length; at += ChunkFloats)
                {
                    stream.Write(MemoryMarshal.AsBytes(features.AsSpan(at, Math.Min(ChunkFloats, features.Length - at))));
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void AppendFloats(IncrementalHash hash, ReadOnlySpan<float> values)
    {
        for (var at = 0; at < values.Length; at += ChunkFloats)
        {
            hash.AppendData(MemoryMarshal.AsBytes(values.Slice(at, Math.Min(ChunkFloats, values.Length - at))));
        }
    }
}
