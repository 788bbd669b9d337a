using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Obscura.Privacy.Ledger;

/// <summary>
/// Append-only record of every DP step a run has taken, so that the privacy spent can be
/// recomputed exactly and is never forgotten when a run resumes (DESIGN.md §1, §3 step 8, §8).
/// </summary>
/// <remarks>
/// <para>File format: one JSON document
/// <c>{"format":"obscura-privacy-ledger","version":2,"runId":…,"entries":[…],"entriesSha256":…}</c>
/// where the checksum is SHA-256 over the serialised <c>entries</c> array. It is written with
/// <see cref="AtomicFile"/>. <see cref="Load"/> refuses, with a <see cref="CorruptLedgerException"/>
/// naming the file, anything that is not well-formed JSON of this shape, has a wrong checksum,
/// an invalid field, or non-contiguous step indices.</para>
/// <para>Timestamps are recorded but not required to increase, since wall clocks can step back.
/// Realised batch sizes are not recorded: they depend on the data and are not covered by the
/// guarantee, and the accounting needs only q.</para>
/// </remarks>
public sealed class PrivacyLedger
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string FormatName = "obscura-privacy-ledger";

    /// <summary>The current file format version.</summary>
    public const int FormatVersion = 2;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    private readonly List<LedgerEntry> _entries = [];

    /// <summary>Creates an empty ledger for the run <paramref name="runId"/>.</summary>
    /// <exception cref="ArgumentException">runId is null, empty or whitespace.</exception>
    public PrivacyLedger(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunId = runId;
    }

    /// <summary>Identifies the run this ledger belongs to.</summary>
    public string RunId { get; }

    /// <summary>All steps recorded, in order; entry i has Step == i.</summary>
    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Number of steps recorded; also the index the next step must carry.</summary>
    public long Count => _entries.Count;

    /// <summary>Records one step at the end of the ledger.</summary>
    /// <exception cref="ArgumentException">The entry is invalid or its Step is not <see cref="Count"/>.</exception>
    public void Append(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string? problem = entry.Validate();
        if (problem is null && entry.Step != Count)
        {
            problem = $"step index is {entry.Step}, expected {Count} (steps are appended in order)";
        }
        if (problem is not null)
        {
            throw new ArgumentException($"PrivacyLedger.Append (run '{RunId}'): {problem}.", nameof(entry));
        }
        _entries.Add(entry);
    }

    /// <summary>
    /// Records the next step, filling in its index and, unless given, the current UTC time.
    /// </summary>
    public LedgerEntry AppendStep(double samplingRate, double noiseMultiplier, double clipNorm,
        int datasetSize, double delta, DateTimeOffset? timestamp = null)
    {
        var entry = new LedgerEntry(Count, samplingRate, noiseMultiplier, clipNorm,
            datasetSize, delta, timestamp ?? DateTimeOffset.UtcNow);
        Append(entry);
        return entry;
    }

    /// <summary>
    /// The steps grouped by (sampling rate, noise multiplier) with their counts, in order of first
    /// appearance: the input an accountant needs to compose exactly what ran. Composition is
    /// commutative, so grouping non-adjacent steps with equal parameters loses nothing; clip norm
    /// and dataset size do not change a step's privacy cost once q and σ/C are fixed.
    /// </summary>
    public IReadOnlyList<(double SamplingRate, double NoiseMultiplier, long Steps)> Summarise()
    {
        var order = new List<(double, double)>();
        var counts = new Dictionary<(double, double), long>();
        foreach (LedgerEntry entry in _entries)
        {
            var key = (entry.SamplingRate, entry.NoiseMultiplier);
            if (counts.TryGetValue(key, out long count))
            {
                counts[key] = count + 1;
            }
            else
            {
                counts[key] = 1;
                order.Add(key);
            }
        }
        return order.Select(key => (key.Item1, key.Item2, counts[key])).ToArray();
    }

    /// <summary>Saves the whole ledger atomically to <paramref name="path"/> (see <see cref="AtomicFile"/>).</summary>
    public void Save(string path)
    {
        byte[] entries = JsonSerializer.SerializeToUtf8Bytes(_entries, JsonOptions);
        var document = new LedgerFile(FormatName, FormatVersion, RunId,
            JsonSerializer.Deserialize<JsonElement>(entries), Convert.ToHexStringLower(SHA256.HashData(entries)));
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, document, JsonOptions));
    }

    /// <summary>Loads and validates a ledger saved by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CorruptLedgerException">The file exists but is not a valid ledger.</exception>
    public static PrivacyLedger Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        LedgerFile? file;
        List<LedgerEntry>? entries;
        try
        {
            file = JsonSerializer.Deserialize<LedgerFile>(bytes, JsonOptions);
            entries = file is null || file.Entries.ValueKind != JsonValueKind.Array
                ? null
                : file.Entries.Deserialize<List<LedgerEntry>>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CorruptLedgerException(path, $"not valid ledger JSON ({e.Message})", e);
        }
        if (file is null || entries is null)
        {
            throw new CorruptLedgerException(path, "missing document or entries array");
        }
        if (file.Format != FormatName)
        {
            throw new CorruptLedgerException(path, $"format is '{file.Format}', expected '{FormatName}'");
        }
        if (file.Version != FormatVersion)
        {
            throw new CorruptLedgerException(path, $"version is {file.Version}, expected {FormatVersion}");
        }
        if (string.IsNullOrWhiteSpace(file.RunId))
        {
            throw new CorruptLedgerException(path, "runId is empty");
        }
        string actual = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(entries, JsonOptions)));
        if (!string.Equals(actual, file.EntriesSha256, StringComparison.Ordinal))
        {
            throw new CorruptLedgerException(path, $"entries checksum is {actual}, file says {file.EntriesSha256}");
        }
        var ledger = new PrivacyLedger(file.RunId);
        foreach (LedgerEntry? entry in entries)
        {
            if (entry is null)
            {
                throw new CorruptLedgerException(path, $"entry {ledger.Count} is null");
            }
            string? problem = entry.Validate();
            if (problem is null && entry.Step != ledger.Count)
            {
                problem = $"entry {ledger.Count} has step index {entry.Step}";
            }
            if (problem is not null)
            {
                throw new CorruptLedgerException(path, problem);
            }
            ledger._entries.Add(entry);
        }
        return ledger;
    }

    private sealed record LedgerFile(string Format, int Version, string RunId, JsonElement Entries, string EntriesSha256);
}
