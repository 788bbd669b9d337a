namespace Obscura.Privacy;

/// <summary>
/// One step of DP-SGD: every example is in the batch independently with probability
/// <see cref="SamplingRate"/> q, the clipped gradients (sensitivity 1 after dividing by the clip
/// norm) are summed and Gaussian noise of standard deviation <see cref="NoiseMultiplier"/> σ is
/// added. Neighbouring datasets differ by adding or removing one example.
/// </summary>
public sealed record PoissonSampledGaussianEvent : DpEvent
{
    /// <summary>Creates the event.</summary>
    /// <exception cref="ArgumentOutOfRangeException">q ∉ (0, 1] or σ ≤ 0 or either is not finite.</exception>
    public PoissonSampledGaussianEvent(double samplingRate, double noiseMultiplier)
    {
        PrivacyArgument.RequireSamplingRate(samplingRate, nameof(samplingRate));
        PrivacyArgument.RequireNoiseMultiplier(noiseMultiplier, nameof(noiseMultiplier));
        SamplingRate = samplingRate;
        NoiseMultiplier = noiseMultiplier;
    }

    /// <summary>The sampling rate q ∈ (0, 1].</summary>
    public double SamplingRate { get; }

    /// <summary>The noise multiplier σ &gt; 0 (noise standard deviation over sensitivity).</summary>
    public double NoiseMultiplier { get; }

    /// <inheritdoc />
    public override string Describe() =>
        $"PoissonSampledGaussian(q={PrivacyArgument.Format(SamplingRate)}, σ={PrivacyArgument.Format(NoiseMultiplier)})";
}
