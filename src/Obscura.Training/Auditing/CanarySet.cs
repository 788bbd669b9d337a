using System.Text.Json;
using Obscura.Data;
using Obscura.Privacy.Randomness;

namespace Obscura.Training.Auditing;

/// <summary>
/// The canaries of a run for the one-run audit (Steinke, Nasr and Jagielski 2023): M extra
/// examples, each put into the training set independently with probability 1/2 by a coin. The
/// coins, labels and sources are drawn from a generator seeded by the run's seed (so the same
/// config gives the same canaries), and recorded in the run folder as canaries.json, which is
/// what training on resume and the audit afterwards read. Canaries are built from the training
/// images before any feature front end, in the same pixel space.
/// </summary>
/// <param name="Kind">Mislabelled copies or out-of-distribution patterns.</param>
/// <param name="Seed">The run's seed they were drawn from.</param>
/// <param name="RealCount">Number of real training examples they were drawn against (the canaries follow them in the training set).</param>
/// <param name="RealDataHash"><see cref="ImageDataset.ContentHash"/> of those real examples, so a canary is never rebuilt from other data.</param>
/// <param name="Canaries">The M canaries, in order.</param>
public sealed record CanarySet(CanaryKind Kind, int Seed, int RealCount, string RealDataHash, IReadOnlyList<Canary> Canaries)
{
    /// <summary>Side of the square blocks of an out-of-distribution pattern, for 28×28 images (7×7 blocks).</summary>
    private const int BlocksPerSide = 7;

    // "canaries" in ASCII: keeps the canary stream apart from every other use of the run's seed.
    private const ulong StreamTag = 0x63616E6172696573UL;

    /// <summary>M, the number of canaries.</summary>
    public int Count => Canaries.Count;

    /// <summary>Indices (into <see cref="Canaries"/>) of the canaries in the training set, ascending.</summary>
    public int[] IncludedIndices => Canaries.Where(c => c.Included).Select(c => c.Index).ToArray();

    /// <summary>
    /// Draws <paramref name="count"/> canaries against the real training set <paramref name="real"/>:
    /// for each, a fair coin; then, mislabelled, a source image (uniform, never one already used)
    /// and a label uniform over the other classes; out-of-distribution, a pattern seed and a uniform label.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative or larger than the real training set, or the data has one class (no other label exists).</exception>
    public static CanarySet Draw(int count, CanaryKind kind, int seed, ImageDataset real) => Draw(count, kind, seed, real, avoid: null);

    /// <summary>
    /// Decoys for a LiRA shadow model trained with seed <paramref name="seed"/>: as many canaries of
    /// the same kind as <paramref name="audited"/>, coin-flipped the same way, but drawn from the
    /// shadow's seed and sharing no source image or pattern with <paramref name="audited"/>. A
    /// shadow trained with them sees the same number of mislabelled or out-of-distribution examples
    /// as the audited run (which changes how confident a model is on all of them), while every
    /// audited canary stays out of it.
    /// </summary>
    /// <exception cref="ArgumentException">Mislabelled canaries are more than half the real examples, so decoys cannot avoid their sources.</exception>
    public static CanarySet DrawDecoys(CanarySet audited, int seed, ImageDataset real) => Draw(audited.Count, audited.Kind, seed, real, audited);

    private static CanarySet Draw(int count, CanaryKind kind, int seed, ImageDataset real, CanarySet? avoid)
    {
        if (count < 0 || count > real.Count)
        {
            throw new ArgumentException($"--canaries must be between 0 and the number of training examples ({real.Count}), got {count}: canaries are meant to be a small part of the training set.");
        }
        if (real.ClassCount < 2)
        {
            throw new ArgumentException($"Canaries need at least two classes, '{real.Name}' has {real.ClassCount}.");
        }
        var usedSources = avoid?.Canaries.Where(c => c.Source is not null).Select(c => c.Source!.Value).ToHashSet() ?? [];
        var usedPatterns = avoid?.Canaries.Where(c => c.Pattern is not null).Select(c => c.Pattern!.Value).ToHashSet() ?? [];
        // Sources without replacement (a partial Fisher–Yates): two identical canaries, one in and one
        // out, would be a guess no score can get right.
        var sources = kind == CanaryKind.Mislabelled ? Enumerable.Range(0, real.Count).Where(i => !usedSources.Contains(i)).ToArray() : [];
        if (kind == CanaryKind.Mislabelled && sources.Length < count)
        {
            throw new ArgumentException($"{count} mislabelled decoys need as many training images unused by the {usedSources.Count} audited canaries; only {sources.Length} of {real.Count} are left. Use at most half the training set as canaries for --lira.");
        }
        var rng = new SeededRandomSource(unchecked((ulong)seed) ^ StreamTag);
        var canaries = new Canary[count];
        for (var i = 0; i < count; i++)
        {
            var included = (rng.NextUInt64() & 1) == 1;
            if (kind == CanaryKind.Mislabelled)
            {
                var pick = i + (int)rng.NextBelow((ulong)(sources.Length - i));
                (sources[i], sources[pick]) = (sources[pick], sources[i]);
                var source = sources[i];
                var label = (real.Label(source) + 1 + (int)rng.NextBelow((ulong)(real.ClassCount - 1))) % real.ClassCount;
                canaries[i] = new Canary(i, included, label, Source: source);
            }
            else
            {
                var pattern = rng.NextUInt64();
                while (usedPatterns.Contains(pattern))
                {
                    pattern = rng.NextUInt64();
                }
                canaries[i] = new Canary(i, included, (int)rng.NextBelow((ulong)real.ClassCount), Pattern: pattern);
            }
        }
        return new CanarySet(kind, seed, real.Count, real.ContentHash, canaries);
    }

    /// <summary>
    /// The M canary images with their labels, in order, in the pixel space of <paramref name="real"/>.
    /// Out-of-distribution patterns take, per block, the smallest or the largest pixel value of the real images.
    /// </summary>
    /// <exception cref="InvalidDataException"><paramref name="real"/> is not the data the canaries were drawn against.</exception>
    public ImageDataset Images(ImageDataset real)
    {
        Check(real, Count, Kind, "the canary set");
        var length = real.ImageLength;
        var pixels = new float[Count * length];
        var labels = new int[Count];
        var (low, high) = Kind == CanaryKind.Ood ? Range(real.Pixels) : (0f, 0f);
        var blockHeight = Math.Max(1, (real.Height + BlocksPerSide - 1) / BlocksPerSide);
        var blockWidth = Math.Max(1, (real.Width + BlocksPerSide - 1) / BlocksPerSide);
        for (var i = 0; i < Count; i++)
        {
            var canary = Canaries[i];
            labels[i] = canary.Label;
            var image = pixels.AsSpan(i * length, length);
            if (Kind == CanaryKind.Mislabelled)
            {
                real.Image(canary.Source!.Value).CopyTo(image);
                continue;
            }
            var rng = new SeededRandomSource(canary.Pattern!.Value);
            var blocksDown = (real.Height + blockHeight - 1) / blockHeight;
            var blocksAcross = (real.Width + blockWidth - 1) / blockWidth;
            var bits = new bool[real.Channels * blocksDown * blocksAcross];
            for (var b = 0; b < bits.Length; b++)
            {
                bits[b] = (rng.NextUInt64() & 1) == 1;
            }
            for (var c = 0; c < real.Channels; c++)
            {
                for (var y = 0; y < real.Height; y++)
                {
                    for (var x = 0; x < real.Width; x++)
                    {
                        var bit = bits[(c * blocksDown + y / blockHeight) * blocksAcross + x / blockWidth];
                        image[(c * real.Height + y) * real.Width + x] = bit ? high : low;
                    }
                }
            }
        }
        return new ImageDataset($"{real.Name}/canaries({Count}, {Kind.ToString().ToLowerInvariant()})", pixels, labels,
            real.Channels, real.Height, real.Width, real.ClassCount, real.ClassNames);
    }

    /// <summary>
    /// Checks that this set belongs to a run configured for <paramref name="count"/> canaries of
    /// <paramref name="kind"/> on <paramref name="real"/>, and that every field is in range.
    /// </summary>
    /// <param name="origin">Named in the error (e.g. the canaries.json path).</param>
    /// <exception cref="InvalidDataException">It does not.</exception>
    public void Check(ImageDataset real, int count, CanaryKind kind, string origin)
    {
        string? problem =
            Canaries is null ? "no canary list"
            : Count != count ? $"{Count} canaries, but the run is configured for {count}"
            : Kind != kind ? $"{Kind} canaries, but the run is configured for {kind}"
            : RealCount != real.Count || RealDataHash != real.ContentHash ? $"drawn against other training data ({RealCount} examples, hash {RealDataHash}), not the {real.Count} examples of {real.Name} (hash {real.ContentHash})"
            : null;
        for (var i = 0; problem is null && i < Count; i++)
        {
            var c = Canaries![i];
            problem = c is null || c.Index != i ? $"canary {i} is missing or out of order"
                : (uint)c.Label >= (uint)real.ClassCount ? $"canary {i} has label {c.Label}, outside 0..{real.ClassCount - 1}"
                : kind == CanaryKind.Mislabelled && (c.Source is not { } s || (uint)s >= (uint)real.Count) ? $"canary {i} has no source image in 0..{real.Count - 1}"
                : kind == CanaryKind.Mislabelled && real.Label(c.Source!.Value) == c.Label ? $"canary {i} has its source's own label {c.Label}, so it is not mislabelled"
                : kind == CanaryKind.Ood && c.Pattern is null ? $"canary {i} has no pattern seed"
                : null;
        }
        if (problem is not null)
        {
            throw new InvalidDataException($"{origin}: {problem}.");
        }
    }

    /// <summary>Writes the set as JSON, atomically (temporary file, flush, rename).</summary>
    public void Save(string file) => RunFolder.WriteAtomically(file, JsonSerializer.Serialize(this, RunFolder.Json));

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a canary set.</exception>
    public static CanarySet Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file}: no canaries recorded.");
        }
        return RunFolder.ReadJson<CanarySet>(file, "canary set");
    }

    private static (float Low, float High) Range(ReadOnlySpan<float> pixels)
    {
        if (pixels.IsEmpty)
        {
            return (0f, 1f);
        }
        return (System.Numerics.Tensors.TensorPrimitives.Min(pixels), System.Numerics.Tensors.TensorPrimitives.Max(pixels));
    }
}
