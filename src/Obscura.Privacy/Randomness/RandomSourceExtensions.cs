namespace Obscura.Privacy.Randomness;

/// <summary>Exact uniform draws built on <see cref="IRandomSource"/>.</summary>
public static class RandomSourceExtensions
{
    /// <summary>
    /// Uniform integer in [0, <paramref name="bound"/>), exactly (no modulo bias), by Lemire's
    /// multiply-and-reject method (Lemire 2019, "Fast random integer generation in an interval").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is 0.</exception>
    public static ulong NextBelow(this IRandomSource random, ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        ulong high = Math.BigMul(random.NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(random.NextUInt64(), bound, out low);
            }
        }
        return high;
    }

    /// <summary>
    /// Uniform double in the open interval (0, 1): a multiple of 2^-53 plus 2^-54, so it is never
    /// 0 or 1. For statistical (non-private) use only, such as the seeded noise source.
    /// </summary>
    public static double NextOpenUnitDouble(this IRandomSource random) =>
        ((random.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
}
