namespace Obscura.Privacy.Randomness;

/// <summary>
/// A Bernoulli trial whose success probability is exactly the given double, with no rounding:
/// a double in [0, 1] is a dyadic rational with a finite binary expansion, and a uniform real
/// U in [0, 1) is compared with it 64 bits at a time until the first differing word decides
/// U &lt; p. Usually one 64-bit word is enough; a tie in a word (probability 2^-64) reads the next.
/// </summary>
public sealed class ExactBernoulli
{
    // Binary expansion of p after the binary point, most significant word first.
    private readonly ulong[] _words;
    private readonly bool _always;

    /// <summary>Prepares trials with success probability <paramref name="probability"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">probability is not in [0, 1].</exception>
    public ExactBernoulli(double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability,
                "ExactBernoulli: probability must be in [0, 1].");
        }
        Probability = probability;
        _always = probability == 1;
        _words = _always || probability == 0 ? [] : Expand(probability);
    }

    /// <summary>The success probability, exactly as given.</summary>
    public double Probability { get; }

    /// <summary>Returns true with probability exactly <see cref="Probability"/>.</summary>
    public bool Sample(IRandomSource random)
    {
        if (_always)
        {
            return true;
        }
        foreach (ulong word in _words)
        {
            ulong u = random.NextUInt64();
            if (u != word)
            {
                return u < word;
            }
        }
        // U's prefix equals p's whole expansion, so U >= p.
        return false;
    }

    private static ulong[] Expand(double p)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(p);
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = bits & ((1UL << 52) - 1);
        int exponent;
        if (biased == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1UL << 52;
            exponent = biased - 1075;
        }
        // p = mantissa * 2^exponent; mantissa bit b has weight 2^-(position) with position = -(b + exponent).
        int deepest = -exponent;
        var words = new ulong[(deepest + 63) / 64];
        for (int b = 0; b < 53; b++)
        {
            if (((mantissa >> b) & 1) == 0)
            {
                continue;
            }
            int position = -(b + exponent); // 1-based position after the binary point
            int index = (position - 1) / 64;
            int shift = 63 - ((position - 1) % 64);
            words[index] |= 1UL << shift;
        }
        return words;
    }
}
