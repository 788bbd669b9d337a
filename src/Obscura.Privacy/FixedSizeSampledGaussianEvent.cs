namespace Obscura.Privacy;

/// <summary>
/// One step with a batch of exactly <see cref="SampleSize"/> examples drawn without replacement
/// from <see cref="DatasetSize"/>, plus Gaussian noise. This is not what Obscura's DP-SGD does
/// (it samples by Poisson); the event exists so that such a run is described honestly, and the
/// accountants refuse it with <see cref="NotSupportedException"/> rather than account it as
/// Poisson sampling.
/// </summary>
public sealed record FixedSizeSampledGaussianEvent : DpEvent
{
    /// <summary>Creates the event.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sizes out of range or σ ≤ 0.</exception>
    public FixedSizeSampledGaussianEvent(long sampleSize, long datasetSize, double noiseMultiplier)
    {
        if (datasetSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(datasetSize), $"{nameof(datasetSize)} must be at least 1, got {datasetSize}");
        }
        if (sampleSize < 1 || sampleSize > datasetSize)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleSize), $"{nameof(sampleSize)} must be in [1, {datasetSize}], got {sampleSize}");
        }
        PrivacyArgument.RequireNoiseMultiplier(noiseMultiplier, nameof(noiseMultiplier));
        SampleSize = sampleSize;
        DatasetSize = datasetSize;
        NoiseMultiplier = noiseMultiplier;
    }

    /// <summary>Examples per batch.</summary>
    public long SampleSize { get; }

    /// <summary>Examples in the dataset.</summary>
    public long DatasetSize { get; }

    /// <summary>The noise multiplier σ &gt; 0.</summary>
    public double NoiseMultiplier { get; }

    /// <inheritdoc />
    public override string Describe() =>
        $"FixedSizeSampledGaussian(batch={SampleSize}, dataset={DatasetSize}, σ={PrivacyArgument.Format(NoiseMultiplier)})";
}
