namespace Obscura.Privacy;

/// <summary>
/// The plain Gaussian mechanism with sensitivity 1 and noise standard deviation
/// <see cref="NoiseMultiplier"/> σ (no subsampling; the same as sampling rate 1).
/// </summary>
public sealed record GaussianEvent : DpEvent
{
    /// <summary>Creates the event.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ ≤ 0 or not finite.</exception>
    public GaussianEvent(double noiseMultiplier)
    {
        PrivacyArgument.RequireNoiseMultiplier(noiseMultiplier, nameof(noiseMultiplier));
        NoiseMultiplier = noiseMultiplier;
    }

    /// <summary>The noise multiplier σ &gt; 0.</summary>
    public double NoiseMultiplier { get; }

    /// <inheritdoc />
    public override string Describe() => $"Gaussian(σ={PrivacyArgument.Format(NoiseMultiplier)})";
}
