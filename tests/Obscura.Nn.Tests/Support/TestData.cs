using Obscura.Tensors;

namespace Obscura.Nn.Tests.Support;

/// <summary>Seeded random tensors for tests.</summary>
public static class TestData
{
    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        Fill(rng, t.Span);
        return t;
    }

    public static void Fill(Random rng, Span<float> values, float scale = 1f)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = scale * (float)(2 * rng.NextDouble() - 1);
        }
    }

    /// <summary>Fills every parameter of the layer with seeded values in [-scale, scale].</summary>
    public static void RandomiseParameters(Layer layer, Random rng, float scale = 0.5f)
    {
        foreach (var p in layer.AllParameters())
        {
            Fill(rng, p.Value.Span, scale);
        }
    }
}
