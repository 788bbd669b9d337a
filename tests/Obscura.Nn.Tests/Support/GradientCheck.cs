using Obscura.Tensors;

namespace Obscura.Nn.Tests.Support;

/// <summary>
/// Finite-difference check of a layer's Backward and AccumulateGradients. The scalar checked is
/// L = Σ y ⊙ r for a fixed random r, so dL/dy = r. Central differences in float32 with step h,
/// the loss summed in double; a coordinate passes when |numeric − analytic| ≤ Atol + Rtol·max(|.|).
/// </summary>
public static class GradientCheck
{
    public const float Step = 1e-2f;
    public const double Atol = 2e-3;
    public const double Rtol = 2e-2;

    /// <summary>The worst violation ratio (error / tolerance) over sampled coordinates; ≤ 1 passes.</summary>
    public static double WorstRatio(Layer layer, Tensor x, int seed = 1, int samples = 40)
    {
        var rng = new Random(seed);
        var y = layer.Forward(x);
        var r = TestData.Random(rng, y.Shape.ToArray());
        var dx = layer.Backward(r).Clone();
        var parameters = layer.AllParameters().ToList();
        foreach (var p in parameters)
        {
            p.Grad.Clear();
        }
        foreach (var source in layer.Descendants().OfType<IGradientSource>())
        {
            source.AccumulateGradients([], 1);
        }
        var analytic = parameters.Select(p => p.Grad.Clone()).ToList();

        double Loss()
        {
            var output = layer.Forward(x).Span;
            var rs = r.Span;
            double sum = 0;
            for (var i = 0; i < output.Length; i++)
            {
                sum += (double)output[i] * rs[i];
            }
            return sum;
        }

        var worst = 0.0;
        if (layer.NeedsInputGradient)
        {
            worst = Math.Max(worst, Probe(x.Span, dx.Span, Loss, rng, samples));
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            worst = Math.Max(worst, Probe(parameters[i].Value.Span, analytic[i].Span, Loss, rng, samples));
        }
        return worst;
    }

    /// <summary>Asserts that backward matches central differences.</summary>
    public static void AssertMatches(Layer layer, Tensor x, int seed = 1)
    {
        var worst = WorstRatio(layer, x, seed);
        Assert.True(worst <= 1.0, $"{layer}: gradient differs from central differences (worst error/tolerance = {worst:F2}).");
    }

    private static double Probe(Span<float> values, ReadOnlySpan<float> analytic, Func<double> loss, Random rng, int samples)
    {
        var worst = 0.0;
        var count = Math.Min(samples, values.Length);
        for (var s = 0; s < count; s++)
        {
            var i = values.Length <= samples ? s : rng.Next(values.Length);
            var saved = values[i];
            values[i] = saved + Step;
            var plus = loss();
            values[i] = saved - Step;
            var minus = loss();
            values[i] = saved;
            var numeric = (plus - minus) / (2 * Step);
            var error = Math.Abs(numeric - analytic[i]);
            var tolerance = Atol + Rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]));
            worst = Math.Max(worst, error / tolerance);
        }
        return worst;
    }
}
