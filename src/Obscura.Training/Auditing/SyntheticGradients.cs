using Obscura.Nn;
using Obscura.Tensors;

namespace Obscura.Training.Auditing;

/// <summary>
/// A gradient source whose per-example gradients are given rows [B, d]: lets the self-audit push
/// chosen gradients through the real clipping and noise code without a network.
/// </summary>
public sealed class SyntheticGradients : IGradientSource
{
    private readonly Parameter parameter;

    public SyntheticGradients(int dimension)
    {
        parameter = new Parameter("synthetic", new Tensor(dimension));
        Parameters = [parameter];
        Rows = new float[0];
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Per-example gradients, row-major [B, d]; set before each step.</summary>
    public float[] Rows { get; set; }

    public int Dimension => parameter.Length;

    public void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views)
    {
        var g = parameter.Grad.Span;
        var d = Dimension;
        for (var i = 0; i < Rows.Length / d; i++)
        {
            var s = exampleScale.IsEmpty ? 1f : exampleScale[i];
            for (var j = 0; j < d; j++)
            {
                g[j] += s * Rows[i * d + j];
            }
        }
    }

    public void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method)
    {
        var d = Dimension;
        for (var i = 0; i < Rows.Length / d; i++)
        {
            double sum = 0;
            for (var j = 0; j < d; j++)
            {
                sum += (double)Rows[i * d + j] * Rows[i * d + j];
            }
            squaredNorms[i] += sum;
        }
    }

    public void PerExampleGradients(Span<float> destination, int views) => Rows.AsSpan().CopyTo(destination);
}
