namespace Obscura.Privacy.Noise;

/// <summary>
/// Adds Gaussian noise N(0, σ²) independently to every coordinate of a vector: the noise step of
/// DP-SGD, applied once per step to the clipped gradient sum with σ = noise multiplier × clip norm.
/// </summary>
/// <remarks>
/// Two implementations: <see cref="SeededGaussianNoise"/> (reproducible, for tests and
/// non-private experiments) and <see cref="SecureGaussianNoise"/> (cryptographic bits and an
/// exact discrete sampler, for private runs). Every call draws fresh noise; nothing is cached
/// or reused between calls. Implementations are not safe for concurrent calls on one instance.
/// </remarks>
public interface IGaussianNoise
{
    /// <summary>True only when the noise is fit for a private run (see docs/noise.md).</summary>
    bool IsCryptographicallySecure { get; }

    /// <summary>
    /// destination[i] += noise_i for every i, with noise_i independent and (approximately, as each
    /// implementation documents) N(0, standardDeviation²).
    /// </summary>
    /// <param name="destination">Vector to noise in place, any length including 0.</param>
    /// <param name="standardDeviation">σ, finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">σ is not finite and positive.</exception>
    void AddNoise(Span<float> destination, double standardDeviation);
}
