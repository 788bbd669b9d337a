namespace Obscura.Privacy;

/// <summary>
/// A description of a randomised mechanism whose privacy an accountant can bound: what was
/// sampled, how much noise was added and how often. Events compose into larger events
/// (<see cref="SelfComposedEvent"/>, <see cref="ComposedEvent"/>).
/// </summary>
/// <remarks>
/// An accountant that does not know an event kind throws <see cref="NotSupportedException"/>
/// naming it; it never guesses. New kinds are added as new records.
/// </remarks>
public abstract record DpEvent
{
    /// <summary>A short name for messages, such as <c>PoissonSampledGaussian(q=0.01, σ=1.1)</c>.</summary>
    public abstract string Describe();

    /// <summary>
    /// The event of one DP-SGD run: Poisson sampling at <paramref name="samplingRate"/>, Gaussian
    /// noise with <paramref name="noiseMultiplier"/>, repeated for <paramref name="steps"/> steps.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    public static DpEvent PoissonSampledGaussian(double samplingRate, double noiseMultiplier, long steps) =>
        new SelfComposedEvent(new PoissonSampledGaussianEvent(samplingRate, noiseMultiplier), steps);
}
