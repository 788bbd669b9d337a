using Obscura.Nn;

namespace Obscura.Training;

/// <summary>
/// Steps 4–6 of DESIGN.md §3 for one chunk, after its forward and backward: each example's squared
/// gradient norm summed over the model's layers, the clip factor s_i = min(1, C / ‖g_i‖), and the
/// clipped sum Σ_i s_i g_i added into the parameters' gradient buffers by each layer's book-keeping
/// GEMM. With per-layer clipping, layer l clips to C_l = C/√L so that Σ_l C_l² = C² and the
/// sensitivity of the whole sum is still C. Buffers are kept and reused across chunks.
/// </summary>
public sealed class PerExampleClipper(IReadOnlyList<IGradientSource> sources, double clipNorm, bool perLayer, NormMethod method)
{
    private double[] squaredNorms = [];
    private float[] scales = [];

    public IReadOnlyList<IGradientSource> Sources { get; } = sources;

    public double ClipNorm { get; } = clipNorm;

    public bool PerLayer { get; } = perLayer;

    /// <summary>
    /// Finds examples whose gradient norm is not finite (NaN or ∞ anywhere in their gradient).
    /// They must be removed and the chunk run again before <see cref="ClipAndAccumulate"/>, since
    /// 0 · NaN is NaN in the book-keeping GEMM. Returns the indices (within the chunk).
    /// </summary>
    public List<int> NonFiniteExamples(int examples, int views)
    {
        var norms = NormsOf(Sources, examples, views);
        var bad = new List<int>();
        for (var i = 0; i < examples; i++)
        {
            if (!double.IsFinite(norms[i]))
            {
                bad.Add(i);
            }
        }
        return bad;
    }

    /// <summary>
    /// Clips each of the chunk's examples and adds the clipped sum into the gradient buffers.
    /// Returns how many examples were clipped (norm above the bound). Norms must be finite.
    /// </summary>
    public int ClipAndAccumulate(int examples, int views)
    {
        if (examples == 0)
        {
            return 0;
        }
        var clipped = 0;
        if (!PerLayer)
        {
            var norms = NormsOf(Sources, examples, views);
            FillScales(norms, examples, ClipNorm, ref clipped);
            foreach (var source in Sources)
            {
                source.AccumulateGradients(scales.AsSpan(0, examples), views);
            }
            return clipped;
        }
        var layerBound = ClipNorm / Math.Sqrt(Sources.Count);
        for (var l = 0; l < Sources.Count; l++)
        {
            var norms = NormsOf([Sources[l]], examples, views);
            var layerClipped = 0;
            FillScales(norms, examples, layerBound, ref layerClipped);
            clipped = Math.Max(clipped, layerClipped);
            Sources[l].AccumulateGradients(scales.AsSpan(0, examples), views);
        }
        return clipped;
    }

    /// <summary>Per-example squared norms over the given sources (kept in a reused buffer).</summary>
    private ReadOnlySpan<double> NormsOf(IReadOnlyList<IGradientSource> of, int examples, int views)
    {
        if (squaredNorms.Length < examples)
        {
            squaredNorms = new double[examples];
        }
        var norms = squaredNorms.AsSpan(0, examples);
        norms.Clear();
        foreach (var source in of)
        {
            source.AddSquaredNorms(norms, views, method);
        }
        return norms;
    }

    private void FillScales(ReadOnlySpan<double> squared, int examples, double bound, ref int clipped)
    {
        if (scales.Length < examples)
        {
            scales = new float[examples];
        }
        for (var i = 0; i < examples; i++)
        {
            var norm = Math.Sqrt(squared[i]);
            if (!double.IsFinite(norm))
            {
                throw new InvalidOperationException($"Per-example clipping: example {i} has a non-finite gradient norm; it must be removed before clipping.");
            }
            // Scale computed in double then rounded down so that the float product never exceeds C.
            var s = norm > bound ? bound / norm * (1 - 1e-7) : 1.0;
            if (norm > bound)
            {
                clipped++;
            }
            scales[i] = (float)s;
        }
    }
}
