namespace Obscura.Nn;

/// <summary>Standard initialisations, from a seeded <see cref="Random"/>.</summary>
public static class Init
{
    /// <summary>U(−1/√fanIn, 1/√fanIn), PyTorch's default for Linear and Conv2d weights and biases.</summary>
    public static void Uniform(Span<float> values, int fanIn, Random rng)
    {
        var bound = 1.0 / Math.Sqrt(Math.Max(1, fanIn));
        UniformRange(values, bound, rng);
    }

    /// <summary>He (Kaiming) normal: N(0, 2/fanIn), for layers followed by ReLU.</summary>
    public static void HeNormal(Span<float> values, int fanIn, Random rng)
    {
        var std = Math.Sqrt(2.0 / Math.Max(1, fanIn));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(std * StandardNormal(rng));
        }
    }

    /// <summary>U(−bound, bound).</summary>
    public static void UniformRange(Span<float> values, double bound, Random rng)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((2 * rng.NextDouble() - 1) * bound);
        }
    }

    /// <summary>One N(0, 1) draw by Box–Muller (initialisation only; never for privacy noise).</summary>
    public static double StandardNormal(Random rng)
    {
        var u = 1.0 - rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
