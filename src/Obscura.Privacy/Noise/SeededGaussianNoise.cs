using Obscura.Privacy.Randomness;

namespace Obscura.Privacy.Noise;

/// <summary>
/// Fast reproducible Gaussian noise: xoshiro256** bits and the Box–Muller transform in double,
/// rounded to float when added. The same seed gives the same noise; each call continues the
/// stream, so consecutive calls give fresh noise.
/// </summary>
/// <remarks>
/// <b>Not for private runs on real data.</b> The seed makes the noise predictable, and the
/// floating-point Box–Muller output has the gaps and irregular tails that Mironov (2012) showed
/// can leak the un-noised value. Use <see cref="SecureGaussianNoise"/> there.
/// </remarks>
public sealed class SeededGaussianNoise : IGaussianNoise
{
    private readonly SeededRandomSource _random;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a noise stream that is a function of <paramref name="seed"/> only.</summary>
    public SeededGaussianNoise(ulong seed)
    {
        _random = new SeededRandomSource(seed);
    }

    /// <inheritdoc/>
    public bool IsCryptographicallySecure => false;

    /// <inheritdoc/>
    public void AddNoise(Span<float> destination, double standardDeviation)
    {
        NoiseArguments.CheckStandardDeviation(standardDeviation, nameof(SeededGaussianNoise));
        int i = 0;
        if (_hasSpare && destination.Length > 0)
        {
            destination[i] = (float)(destination[i] + standardDeviation * _spare);
            _hasSpare = false;
            i++;
        }
        for (; i + 1 < destination.Length; i += 2)
        {
            (double z0, double z1) = NextPair();
            destination[i] = (float)(destination[i] + standardDeviation * z0);
            destination[i + 1] = (float)(destination[i + 1] + standardDeviation * z1);
        }
        if (i < destination.Length)
        {
            (double z0, double z1) = NextPair();
            destination[i] = (float)(destination[i] + standardDeviation * z0);
            _spare = z1;
            _hasSpare = true;
        }
    }

    // Box–Muller: for U1, U2 uniform on (0, 1), R = sqrt(-2 ln U1) and θ = 2π U2 give two
    // independent standard normals R cos θ and R sin θ.
    private (double, double) NextPair()
    {
        double u1 = _random.NextOpenUnitDouble();
        double u2 = _random.NextOpenUnitDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (r * cos, r * sin);
    }
}
