using System.Runtime.CompilerServices;
using Obscura.Privacy.Randomness;

namespace Obscura.Privacy.Noise;

/// <summary>
/// Exact sampler for the discrete Gaussian on the integers with scale 2^k:
/// P[Z = z] ∝ exp(-z² / (2·4^k)), z ∈ ℤ. Uses only integer arithmetic and uniform random bits,
/// following the rejection algorithms of Canonne, Kamath and Steinke 2020 ("The Discrete
/// Gaussian for Differential Privacy", Algorithms 1–3), specialised to a power-of-two scale so
/// every probability is a dyadic rational.
/// </summary>
/// <remarks>
/// <para>How it works, in our words. (1) Bernoulli(exp(-γ)) for a dyadic γ ∈ [0, 1): draw
/// Bernoulli(γ/1), Bernoulli(γ/2), … until the first failure at trial K; K is odd with probability
/// exactly exp(-γ). For γ ≥ 1, multiply independent Bernoulli(exp(-1)) trials for the integer
/// part. (2) A discrete Laplace with scale t = 2^k: U uniform on {0..t-1}, kept with probability
/// exp(-U/t); V geometric with P[V ≥ v] = exp(-v); X = U + tV, a random sign, rejecting "-0".
/// (3) Discrete Gaussian: a discrete Laplace Y with t = σ = 2^k, accepted with probability
/// exp(-(|Y| - σ²/t)² / (2σ²)) = exp(-(|Y| - 2^k)² / 2^(2k+1)); about 1.3 proposals per sample.</para>
/// <para>Each Bernoulli(n/(K·2^s)) compares the first s bits of a uniform real U with the fraction
/// in exact integer arithmetic and reads further bits only on a tie (probability below K/2^s), so a
/// trial usually costs one word of 8 or 16 bits: about four 64-bit words per sample. Three guards leave the
/// exact distribution only on events of probability far below 2^-1000 and are stated in
/// docs/noise.md: more than 2^14 terms in step (1), a geometric part V of at least 2^(61-k), or an integer part of the
/// acceptance exponent above 2^20 (those proposals are rejected).</para>
/// </remarks>
public sealed class DiscreteGaussianSampler
{
    // The hot methods are compiled fully optimised at first call (AggressiveOptimization): a private
    // step draws noise once, so tier-0 code would otherwise run for the first several steps. The
    // three smallest (NextBits, BernoulliDyadic, BernoulliExpMinusOne) are inlined into them
    // instead: the calls cost about a quarter of a sample (26,010 draws: 3.5 → 2.5 ms).
    /// <summary>Smallest supported k.</summary>
    public const int MinGridBits = 1;

    /// <summary>Largest supported k (keeps every intermediate within 128-bit integers).</summary>
    public const int MaxGridBits = 40;

    private const int MaxSeriesTerms = 1 << 14;
    private const ulong MaxWholeExponent = 1UL << 20;

    private readonly IRandomSource _random;
    private readonly int _k;
    private readonly ulong _scale;
    private ulong _cache;
    private int _cachedBits;

    /// <summary>Creates a sampler of D_{ℤ, 2^gridBits} drawing bits from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">gridBits outside [<see cref="MinGridBits"/>, <see cref="MaxGridBits"/>].</exception>
    public DiscreteGaussianSampler(int gridBits, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridBits, MinGridBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gridBits, MaxGridBits);
        ArgumentNullException.ThrowIfNull(random);
        _k = gridBits;
        _scale = 1UL << gridBits;
        _random = random;
    }

    /// <summary>k: the scale parameter of the distribution is σ = 2^k.</summary>
    public int GridBits => _k;

    /// <summary>One draw from D_{ℤ, 2^k}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Sample()
    {
        int exponentShift = 2 * _k + 1;
        while (true)
        {
            long y = SampleDiscreteLaplace();
            ulong magnitude = (ulong)Math.Abs(y);
            ulong distance = magnitude >= _scale ? magnitude - _scale : _scale - magnitude;
            UInt128 squared = (UInt128)distance * distance;
            UInt128 whole = squared >> exponentShift;
            if (whole > MaxWholeExponent)
            {
                continue;
            }
            bool accept = true;
            for (ulong i = 0; i < (ulong)whole && accept; i++)
            {
                accept = BernoulliExpMinusOne();
            }
            UInt128 fraction = squared & ((UInt128.One << exponentShift) - 1);
            if (accept && BernoulliExpFraction(fraction, exponentShift))
            {
                return y;
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent draws from D_{ℤ, 2^k}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<long> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Sample();
        }
    }

    // Discrete Laplace with scale t = 2^k: P[X = x] ∝ exp(-|x| / t).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long SampleDiscreteLaplace()
    {
        ulong maxGeometric = 1UL << (61 - _k);
        while (true)
        {
            ulong u = NextBits(_k);
            if (!BernoulliExpFraction(u, _k))
            {
                continue;
            }
            ulong v = 0;
            while (BernoulliExpMinusOne())
            {
                v++;
            }
            if (v >= maxGeometric)
            {
                continue;
            }
            ulong x = u + (v << _k);
            bool negative = NextBits(1) == 1;
            if (negative && x == 0)
            {
                continue;
            }
            return negative ? -(long)x : (long)x;
        }
    }

    // Bernoulli(exp(-1)): the series trick with γ = 1, i.e. Bernoulli(1/K) for K = 1, 2, ...
    // The K = 1 trial always succeeds, so the loop starts at K = 2 without drawing bits for it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BernoulliExpMinusOne()
    {
        const int Bits = 8;
        ulong k = 2;
        while (k < MaxSeriesTerms && BernoulliDyadic(1UL << Bits, Bits, k))
        {
            k++;
        }
        return (k & 1) == 1;
    }

    // Bernoulli(exp(-γ)) for γ = numerator / 2^shift ∈ [0, 1). For shift > 56 the exponent is
    // split as γ = γ_high + γ_low (γ_high on the 2^-56 grid, γ_low < 2^-56) and the two
    // independent trials are multiplied: exp(-γ) = exp(-γ_high)·exp(-γ_low). This keeps the common
    // case in 64-bit arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BernoulliExpFraction(UInt128 numerator, int shift)
    {
        const int NarrowShift = 56;
        if (shift > NarrowShift)
        {
            int excess = shift - NarrowShift;
            UInt128 high = numerator >> excess;
            UInt128 low = numerator & ((UInt128.One << excess) - 1);
            return BernoulliExpFraction(high, NarrowShift) && BernoulliExpSeriesWide(low, shift);
        }
        if (numerator == 0)
        {
            return true;
        }
        ulong n = (ulong)numerator;
        ulong k = 1;
        while (k < MaxSeriesTerms && BernoulliDyadic(n, shift, k))
        {
            k++;
        }
        return (k & 1) == 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BernoulliExpSeriesWide(UInt128 numerator, int shift)
    {
        if (numerator == 0)
        {
            return true;
        }
        UInt128 unit = UInt128.One << shift;
        int k = 1;
        while (k < MaxSeriesTerms && BernoulliWide(numerator, unit * (uint)k))
        {
            k++;
        }
        return (k & 1) == 1;
    }

    // Exactly Bernoulli(n / (K·2^s)) for n ≤ K·2^s, 1 ≤ s ≤ 56: a word w of b = min(s, 16) bits is
    // the first b bits of a uniform U = (w + f)/2^b, and with unit = K·2^(s−b),
    // U < n/(K·2^s) ⟺ (w + f)·unit < n. The word decides unless w·unit < n < (w + 1)·unit, which
    // has probability below K/2^b; then the answer is whether f < (n − w·unit)/unit, a fresh
    // Bernoulli of a fraction below 1. Reading 16 bits instead of all s halves the random bits a
    // sample needs (docs/noise.md) without changing the law.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BernoulliDyadic(ulong numerator, int shift, ulong k)
    {
        const int WordBits = 16;
        if (k >= 1UL << 7)
        {
            return BernoulliWide(numerator, (UInt128)k << shift);
        }
        int bits = Math.Min(shift, WordBits);
        int rest = shift - bits;
        ulong unit = k << rest;                   // < 2^7 · 2^40
        ulong low = NextBits(bits) * unit;        // < 2^(shift + 7) ≤ 2^63
        if (low >= numerator)
        {
            return false;
        }
        if (low + unit <= numerator)
        {
            return true;
        }
        return BernoulliWide(numerator - low, unit);
    }

    // Exactly Bernoulli(numerator / denominator) for numerator ≤ denominator < 2^96: compares a
    // uniform U ∈ [0, 1) with the fraction 32 bits at a time. With U = (w + f)/2^32,
    // U < n/d ⟺ (w + f)·d < n·2^32; the word decides unless w·d < n·2^32 < (w + 1)·d, and then
    // the remainder f is compared with the new fraction (n·2^32 − w·d)/d, which is again below 1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BernoulliWide(UInt128 numerator, UInt128 denominator)
    {
        while (true)
        {
            ulong w = NextBits(32);
            UInt128 low = denominator * w;
            UInt128 target = numerator << 32;
            if (low + denominator <= target)
            {
                return true;
            }
            if (low >= target)
            {
                return false;
            }
            numerator = target - low;
        }
    }

    // n uniform bits (1 ≤ n ≤ 56) from a 64-bit cache; leftover bits are discarded on refill,
    // which keeps every bit handed out independent and uniform.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong NextBits(int n)
    {
        if (_cachedBits < n)
        {
            _cache = _random.NextUInt64();
            _cachedBits = 64;
        }
        ulong bits = _cache & ((1UL << n) - 1);
        _cache >>= n;
        _cachedBits -= n;
        return bits;
    }
}
