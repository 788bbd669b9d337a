using System.Buffers.Binary;

namespace Obscura.Privacy.Randomness;

/// <summary>
/// Deterministic xoshiro256** generator (Blackman and Vigna 2018), seeded through SplitMix64.
/// For tests and reproducible non-private experiments only: it is fast and statistically good,
/// but predictable, so it must never drive sampling or noise in a private run on real data.
/// </summary>
public sealed class SeededRandomSource : IRandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole output is a function of <paramref name="seed"/>.</summary>
    public SeededRandomSource(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <inheritdoc/>
    public bool IsCryptographicallySecure => false;

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc/>
    public void NextBytes(Span<byte> destination)
    {
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, NextUInt64());
            destination = destination[8..];
        }
        if (destination.Length > 0)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, NextUInt64());
            last[..destination.Length].CopyTo(destination);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
