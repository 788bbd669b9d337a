using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Obscura.Tensors;

namespace Obscura.Nn.Serialization;

/// <summary>
/// Reads and writes the safetensors format (float32 only): an 8-byte little-endian header length
/// n, n bytes of UTF-8 JSON mapping each name to {"dtype": "F32", "shape": [...], "data_offsets":
/// [begin, end]} (byte offsets into the data section that follows) plus an optional
/// "__metadata__" map of strings, then the raw little-endian data. Tensors tile the data section
/// without gaps or overlaps, as the reference implementation requires.
/// Saving is atomic: a temporary file in the same folder is written, flushed to disk and moved over
/// the target, so a crash never leaves a half-written checkpoint under the real name.
/// Every load error is an <see cref="InvalidDataException"/> naming the file and, where it
/// applies, the tensor.
/// </summary>
public static partial class SafeTensors
{
    /// <summary>Upper bound on the JSON header, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors (in the given order) and optional metadata to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureLittleEndian();
        var list = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey || !seen.Add(name))
            {
                throw new ArgumentException($"SafeTensors.Save({path}): tensor name '{name}' is empty, reserved or repeated.");
            }
        }
        var header = Header(list, metadata);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, value) in list)
                {
                    stream.Write(MemoryMarshal.AsBytes(value.Span));
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
            throw;
        }
    }

    /// <summary>Reads and validates a whole file.</summary>
    public static SafeTensorsFile Load(string path)
    {
        EnsureLittleEndian();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw Invalid(path, $"the file has {fileLength} bytes, too few for the 8-byte header length");
        }
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
        {
            throw Invalid(path, $"header length {headerLength} does not fit (file has {fileLength} bytes, limit {MaxHeaderBytes})");
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var (entries, metadata) = ParseHeader(path, headerBytes, dataLength);

        var tensors = new List<(string, Tensor)>(entries.Count);
        foreach (var entry in entries)
        {
            var tensor = new Tensor(entry.Shape);
            stream.Position = dataStart + entry.Begin;
            stream.ReadExactly(MemoryMarshal.AsBytes(tensor.Span));
            tensors.Add((entry.Name, tensor));
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    /// <summary>
    /// Copies the file's tensors into <paramref name="targets"/> by name. Checks every target first
    /// (missing name or shape mismatch throws, naming the tensor and both shapes) so that either all
    /// targets are filled or none is changed. Returns the names in the file that no target asked for.
    /// </summary>
    public static IReadOnlyList<string> LoadInto(string path, IEnumerable<(string Name, Tensor Target)> targets)
    {
        var file = Load(path);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in file.Tensors)
        {
            byName[name] = value;
        }
        var pairs = new List<(Tensor Source, Tensor Target)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in targets)
        {
            if (!byName.TryGetValue(name, out var source))
            {
                throw Invalid(path, $"no tensor '{name}' (expected shape {target.ShapeText})");
            }
            if (!source.HasShape(target.Shape))
            {
                throw Invalid(path, $"tensor '{name}' has shape {source.ShapeText} in the file but {target.ShapeText} is expected");
            }
            pairs.Add((source, target));
            used.Add(name);
        }
        foreach (var (source, target) in pairs)
        {
            source.Span.CopyTo(target.Span);
        }
        return file.Tensors.Select(t => t.Name).Where(n => !used.Contains(n)).ToList();
    }

    private static byte[] Header(List<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, value) in tensors)
            {
                var bytes = 4L * value.Length;
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in value.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad with spaces to a multiple of 8 so the data section is aligned (as the reference writer does).
        var length = buffer.Length;
        var padded = (length + 7) / 8 * 8;
        for (var i = length; i < padded; i++)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("SafeTensors: only little-endian platforms are supported.");
        }
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"{path}: not a valid float32 safetensors file: {problem}.", inner);
}
