using Obscura.Privacy.Randomness;

namespace Obscura.Privacy.Sampling;

/// <summary>
/// Fixed-size batches taken in order from a random permutation of the dataset, reshuffled at
/// the start of every epoch: ordinary minibatching, for <b>non-private runs only</b>.
/// </summary>
/// <remarks>
/// This is not Poisson sampling. An example appears exactly once per epoch and batch sizes are
/// fixed, so the privacy amplification that the Poisson subsampled-Gaussian accountants assume
/// does not hold, and no ε may be reported for a run that uses it (DESIGN.md §3, §8).
/// <see cref="IsCoveredByPoissonAccountant"/> is false so a plan can refuse it for private
/// training.
/// </remarks>
public sealed class ShuffledBatchSampler
{
    private readonly IRandomSource _random;
    private readonly int[] _permutation;
    private int _position;

    /// <summary>Creates a sampler over indices 0..datasetSize-1.</summary>
    /// <param name="datasetSize">N, at least 1.</param>
    /// <param name="batchSize">Batch size, in 1..N.</param>
    /// <param name="random">Source of the permutations.</param>
    /// <param name="dropLast">When true, the final partial batch of each epoch is skipped, so
    /// every batch has exactly <paramref name="batchSize"/> indices.</param>
    public ShuffledBatchSampler(int datasetSize, int batchSize, IRandomSource random, bool dropLast = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, datasetSize);
        ArgumentNullException.ThrowIfNull(random);
        DatasetSize = datasetSize;
        BatchSize = batchSize;
        DropLast = dropLast;
        _random = random;
        _permutation = new int[datasetSize];
        _position = datasetSize; // forces a shuffle on the first batch
    }

    /// <summary>Always false: fixed-size shuffled batches are not covered by the Poisson accountant.</summary>
    public static bool IsCoveredByPoissonAccountant => false;

    /// <summary>N, the number of examples.</summary>
    public int DatasetSize { get; }

    /// <summary>The number of indices in a full batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the final partial batch of an epoch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch: floor(N / B) with <see cref="DropLast"/>, ceil(N / B) otherwise.</summary>
    public int BatchesPerEpoch => DropLast ? DatasetSize / BatchSize : (DatasetSize + BatchSize - 1) / BatchSize;

    /// <summary>
    /// Writes the next batch into <paramref name="destination"/> (length at least
    /// <see cref="BatchSize"/>) and returns its size; starts a new epoch with a fresh permutation
    /// when the current one is used up. Indices within a batch are unique but not sorted.
    /// </summary>
    public int NextBatch(Span<int> destination)
    {
        if (destination.Length < BatchSize)
        {
            throw new ArgumentException(
                $"ShuffledBatchSampler.NextBatch: destination has length {destination.Length}, expected at least the batch size {BatchSize}.",
                nameof(destination));
        }
        int remaining = DatasetSize - _position;
        if (remaining == 0 || (DropLast && remaining < BatchSize))
        {
            Shuffle();
            remaining = DatasetSize;
        }
        int count = Math.Min(BatchSize, remaining);
        _permutation.AsSpan(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    /// <summary>Returns the next batch as a new array (see <see cref="NextBatch(Span{int})"/>).</summary>
    public int[] NextBatch()
    {
        var batch = new int[BatchSize];
        int count = NextBatch(batch);
        return count == BatchSize ? batch : batch[..count];
    }

    private void Shuffle()
    {
        for (int i = 0; i < _permutation.Length; i++)
        {
            _permutation[i] = i;
        }
        // Fisher–Yates with exact uniform draws.
        for (int i = _permutation.Length - 1; i > 0; i--)
        {
            int j = (int)_random.NextBelow((ulong)i + 1);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
        _position = 0;
    }
}
