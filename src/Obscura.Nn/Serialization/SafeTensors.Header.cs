using System.Text.Json;

namespace Obscura.Nn.Serialization;

public static partial class SafeTensors
{
    private sealed record Entry(string Name, int[] Shape, long Begin, long End);

    // Parses and validates the JSON header against a data section of dataLength bytes.
    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"the header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"the header is a JSON {root.ValueKind}, not an object");
            }
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Invalid(path, $"the header names '{property.Name}' twice");
                }
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
                }
            }
            CheckTiling(path, entries, dataLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"'{MetadataKey}' must be an object of strings");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"metadata '{item.Name}' is a JSON {item.Value.ValueKind}, not a string");
            }
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"tensor '{name}' is described by a JSON {value.ValueKind}, not an object");
        }
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, $"tensor '{name}' has no dtype string");
        }
        if (dtype.GetString() != "F32")
        {
            throw Invalid(path, $"tensor '{name}' has dtype '{dtype.GetString()}'; only F32 is supported");
        }
        if (!value.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, $"tensor '{name}' has no shape array");
        }
        var shape = new int[shapeJson.GetArrayLength()];
        var k = 0;
        foreach (var d in shapeJson.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out shape[k]) || shape[k] < 0)
            {
                throw Invalid(path, $"tensor '{name}' has a shape entry {d} that is not a non-negative 32-bit integer");
            }
            k++;
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end))
        {
            throw Invalid(path, $"tensor '{name}' has no data_offsets pair of integers");
        }
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
            {
                throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}], too large for one array");
            }
        }
        if (begin < 0 || end < begin)
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}], not an increasing pair of non-negative offsets");
        }
        if (end > dataLength)
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section (truncated file?)");
        }
        if (end - begin != 4 * count)
        {
            throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] ({4 * count} bytes) but data_offsets [{begin}, {end}] span {end - begin} bytes");
        }
        return new Entry(name, shape, begin, end);
    }

    // Tensors must cover [0, dataLength) exactly once: no gaps, no overlaps, no trailing bytes.
    private static void CheckTiling(string path, List<Entry> entries, long dataLength)
    {
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                throw Invalid(path, entry.Begin > position
                    ? $"tensor '{entry.Name}' starts at byte {entry.Begin}, leaving a gap after byte {position}"
                    : $"tensor '{entry.Name}' starts at byte {entry.Begin}, overlapping data that ends at byte {position}");
            }
            position = entry.End;
        }
        if (position != dataLength)
        {
            throw Invalid(path, $"the tensors cover {position} bytes but the data section has {dataLength} (truncated or trailing data)");
        }
    }
}
