namespace Obscura.Privacy.Ledger;

/// <summary>
/// One DP-SGD step as it ran: enough to recompute its privacy cost from scratch.
/// </summary>
/// <param name="Step">0-based index of the step within the run; entries are contiguous.</param>
/// <param name="SamplingRate">q, the Poisson sampling rate, in (0, 1].</param>
/// <param name="NoiseMultiplier">σ/C of the Gaussian noise added to the clipped sum, &gt; 0.</param>
/// <param name="ClipNorm">C, the per-example clip norm, &gt; 0.</param>
/// <param name="DatasetSize">N, the number of examples sampled from.</param>
/// <param name="Delta">The δ the run targets, in (0, 1).</param>
/// <param name="Timestamp">When the step was recorded.</param>
public sealed record LedgerEntry(
    long Step,
    double SamplingRate,
    double NoiseMultiplier,
    double ClipNorm,
    int DatasetSize,
    double Delta,
    DateTimeOffset Timestamp)
{
    /// <summary>Returns null when the entry is valid, else which field is wrong and why.</summary>
    public string? Validate()
    {
        if (Step < 0)
        {
            return $"step is {Step}, expected >= 0";
        }
        if (!(SamplingRate > 0 && SamplingRate <= 1))
        {
            return $"step {Step}: sampling rate is {SamplingRate}, expected in (0, 1]";
        }
        if (!(NoiseMultiplier > 0 && double.IsFinite(NoiseMultiplier)))
        {
            return $"step {Step}: noise multiplier is {NoiseMultiplier}, expected finite and > 0";
        }
        if (!(ClipNorm > 0 && double.IsFinite(ClipNorm)))
        {
            return $"step {Step}: clip norm is {ClipNorm}, expected finite and > 0";
        }
        if (DatasetSize < 1)
        {
            return $"step {Step}: dataset size is {DatasetSize}, expected >= 1";
        }
        if (!(Delta > 0 && Delta < 1))
        {
            return $"step {Step}: delta is {Delta}, expected in (0, 1)";
        }
        return null;
    }
}
