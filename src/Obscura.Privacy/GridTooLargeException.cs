namespace Obscura.Privacy;

/// <summary>A privacy loss grid would need more bins than the FFT limit; the accountant widens h and retries.</summary>
internal sealed class GridTooLargeException(long requiredBins, int limit)
    : InvalidOperationException($"privacy loss distribution needs {requiredBins} bins, more than the limit of {limit}; use a larger value discretisation interval")
{
    public long RequiredBins { get; } = requiredBins;
}
