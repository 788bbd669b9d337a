namespace Obscura.Tensors.Kernels;

/// <summary>
/// Splits [0, count) into contiguous ranges run on up to <see cref="Threads"/> threads, or inline
/// when the total work is too small to pay for the hand-off (a few microseconds).
/// </summary>
public static class BatchParallel
{
    private const long MinWorkPerThread = 32_768;
    private static int threads = Environment.ProcessorCount;

    /// <summary>Threads the kernels may use (default: all cores; at least 1).</summary>
    public static int Threads
    {
        get => threads;
        set => threads = Math.Max(1, value);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over a partition of [0, <paramref name="count"/>);
    /// <paramref name="workPerItem"/> is the rough cost of one item (values touched), to decide
    /// whether splitting pays.
    /// </summary>
    public static void For(int count, long workPerItem, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }
        var parts = (int)Math.Min(Math.Min(threads, count), Math.Max(1, count * Math.Max(1, workPerItem) / MinWorkPerThread));
        if (parts <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            body((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts)));
    }
}
