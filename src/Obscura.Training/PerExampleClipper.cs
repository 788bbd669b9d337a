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
    /// Clips each of the chunk's examples and adds the clipped sum into the gradient buffers;
    /// returns how many examples were clipped (norm above the bound). If some example's gradient
    /// norm is not finite (NaN or ∞ anywhere in its gradient), nothing is accumulated: their indices
    /// (within the chunk) are put in <paramref name="nonFinite"/> and the caller must run the chunk
    /// again without them, since 0 · NaN is NaN in the book-keeping GEMM.
    /// </summary>
    public int ClipAndAccumulate(int examples, int views, List<int> nonFinite)
    {
        nonFinite.Clear();
        if (examples == 0)
        {
            return 0;
        }
        var clipped = 0;
        if (!PerLayer)
        {
            var norms = NormsOf(Sources, examples, views);
            if (!FillScales(norms, examples, ClipNorm, ref clipped, nonFinite))
            {
                return 0;
            }
            foreach (var source in Sources)
            {
                source.AccumulateGradients(scales.AsSpan(0, examples), views);
            }
            return clipped;
        }
        var layerBound = ClipNorm / Math.Sqrt(Sources.Count);
        var layerScales = new float[Sources.Count][];
        for (var l = 0; l < Sources.Count; l++)
        {
            var norms = NormsOf([Sources[l]], examples, views);
            var layerClipped = 0;
            if (!FillScales(norms, examples, layerBound, ref layerClipped, nonFinite))
            {
                return 0;
            }
            clipped = Math.Max(clipped, layerClipped);
            layerScales[l] = scales.AsSpan(0, examples).ToArray();
        }
        for (var l = 0; l < Sources.Count; l++)
        {
            Sources[l].AccumulateGradients(layerScales[l], views);
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

    // s_i = min(1, bound/‖g_i‖), in double then rounded down so the float product never exceeds
    // the bound. False (with the offending examples listed) when a norm is not finite.
    private bool FillScales(ReadOnlySpan<double> squared, int examples, double bound, ref int clipped, List<int> nonFinite)
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
                nonFinite.Add(i);
                continue;
            }
            var s = norm > bound ? bound / norm * (1 - 1e-7) : 1.0;
            if (norm > bound)
            {
                clipped++;
            }
            scales[i] = (float)s;
        }
        return nonFinite.Count == 0;
    }
}
