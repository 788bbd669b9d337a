namespace Obscura.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose whole state is one
/// <see cref="ulong"/>, so a data split or an augmentation stream is reproducible across .NET
/// versions and can be saved in a checkpoint and resumed. Not for privacy noise.
/// </summary>
internal struct SplitMix64(ulong state)
{
    public ulong State = state;

    public ulong Next()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) for n ≥ 1 (Lemire's multiply-shift; bias below 2⁻³² for the small n used here).</summary>
    public int NextInt(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);

    /// <summary>Fisher–Yates shuffle of <paramref name="values"/>.</summary>
    public void Shuffle(Span<int> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
