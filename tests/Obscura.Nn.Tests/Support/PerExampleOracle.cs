using Obscura.Tensors;

namespace Obscura.Nn.Tests.Support;

/// <summary>
/// The batch-of-one loop (Opacus's oracle): each example's gradient computed by running its K views
/// alone through Forward, Backward and AccumulateGradients. Everything per-example a layer claims
/// is compared against this.
/// </summary>
public static class PerExampleOracle
{
    public const double Tolerance = 2e-4;

    /// <summary>[B, P] per-example gradients of L = Σ y ⊙ dy, by the batch-of-one loop.</summary>
    public static float[,] Gradients(Layer layer, Tensor x, Tensor dy, int views)
    {
        var rows = x.Dim(0);
        var examples = rows / views;
        var parameters = layer.AllParameters().ToList();
        var total = parameters.Sum(p => p.Length);
        var result = new float[examples, total];
        for (var i = 0; i < examples; i++)
        {
            var xi = Slice(x, i * views, views);
            var dyi = Slice(dy, i * views, views);
            foreach (var p in parameters)
            {
                p.Grad.Clear();
            }
            layer.Forward(xi);
            layer.Backward(dyi);
            foreach (var source in layer.Descendants().OfType<IGradientSource>())
            {
                source.AccumulateGradients([], 1);
            }
            var offset = 0;
            foreach (var p in parameters)
            {
                var g = p.Grad.Span;
                for (var j = 0; j < g.Length; j++)
                {
                    result[i, offset + j] = g[j];
                }
                offset += g.Length;
            }
        }
        return result;
    }

    /// <summary>
    /// Checks a single parametrised layer against the oracle: per-example gradients, ghost and
    /// materialised norms, the clipped (scaled) sum and the plain batch gradient.
    /// </summary>
    public static void AssertLayerAgrees(Layer layer, Tensor x, int views, int seed = 7)
    {
        var source = (IGradientSource)layer;
        var rng = new Random(seed);
        var examples = x.Dim(0) / views;
        var y = layer.Forward(x);
        var dy = TestData.Random(rng, y.Shape.ToArray());
        var oracle = Gradients(layer, x, dy, views);
        var total = oracle.GetLength(1);

        layer.Forward(x);
        layer.Backward(dy);

        var perExample = new float[examples * total];
        source.PerExampleGradients(perExample, views);
        for (var i = 0; i < examples; i++)
        {
            for (var j = 0; j < total; j++)
            {
                AssertClose(oracle[i, j], perExample[i * total + j], $"{layer} per-example gradient [{i}, {j}]");
            }
        }

        foreach (var method in new[] { NormMethod.Ghost, NormMethod.Materialise, NormMethod.Auto })
        {
            var norms = new double[examples];
            source.AddSquaredNorms(norms, views, method);
            for (var i = 0; i < examples; i++)
            {
                double expected = 0;
                for (var j = 0; j < total; j++)
                {
                    expected += (double)oracle[i, j] * oracle[i, j];
                }
                AssertClose(expected, norms[i], $"{layer} {method} squared norm of example {i}");
            }
        }

        var scale = new float[examples];
        for (var i = 0; i < examples; i++)
        {
            scale[i] = (float)rng.NextDouble();
        }
        foreach (var useScale in new[] { true, false })
        {
            foreach (var p in source.Parameters)
            {
                p.Grad.Clear();
            }
            source.AccumulateGradients(useScale ? scale : [], views);
            var offset = 0;
            foreach (var p in source.Parameters)
            {
                var g = p.Grad.Span;
                for (var j = 0; j < g.Length; j++)
                {
                    double expected = 0;
                    for (var i = 0; i < examples; i++)
                    {
                        expected += (useScale ? scale[i] : 1.0) * oracle[i, offset + j];
                    }
                    AssertClose(expected, g[j], $"{layer} {(useScale ? "scaled" : "plain")} gradient sum [{offset + j}]");
                }
                offset += g.Length;
            }
        }
    }

    /// <summary>Rows [start, start + count) of a tensor, copied.</summary>
    public static Tensor Slice(Tensor t, int start, int count)
    {
        var shape = t.Shape.ToArray();
        shape[0] = count;
        var result = new Tensor(shape);
        t.Span.Slice(start * t.ItemLength, count * t.ItemLength).CopyTo(result.Span);
        return result;
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = Tolerance * (1 + Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual}.");
    }
}
