namespace Obscura.Privacy.Randomness;

/// <summary>
/// A stream of independent, uniformly distributed random bits. Samplers and noise sources in
/// Obscura.Privacy draw every random decision from one of these, so the same code runs on a
/// seeded generator in tests and on the operating system's cryptographic generator in real runs.
/// </summary>
/// <remarks>
/// Implementations are not thread-safe; give each thread its own instance.
/// </remarks>
public interface IRandomSource
{
    /// <summary>True when the bits come from a cryptographically secure generator.</summary>
    bool IsCryptographicallySecure { get; }

    /// <summary>Returns 64 independent uniform random bits.</summary>
    ulong NextUInt64();

    /// <summary>Fills <paramref name="destination"/> with independent uniform random bytes.</summary>
    void NextBytes(Span<byte> destination);
}
