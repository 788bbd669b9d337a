using Obscura.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>Squared Frobenius norm of one example's weight gradient G_i ([O, d], row-major).</summary>
internal delegate double ExampleGradientNorm(ReadOnlySpan<float> gradient);

// Kept per-example gradients: when the materialised norm pass builds every G_i anyway, it can leave
// them in a buffer so that the clipped sum Σ_i s_i G_i (DESIGN.md §4) is a weighted sum of those
// instead of the book-keeping GEMM (S·D)ᵀX over the chunk. Same sum, different order of additions.
// The buffer belongs to one Backward: Forward and Backward invalidate it.
public sealed partial class Conv2d
{
    private const long MaxKeptValues = 4 << 20;
    private const int KeptSumBlock = 2048;
    private float[] keptGrads = [];      // per example: G_i (layout below), then the bias gradient [O]
    private float[] keptSum = [];
    private float[] keptScales = [];
    private int keptExamples = -1;       // ≥ 0 while keptGrads belong to the current Backward
    private int keptViews;
    private bool keptTransposed;         // Gᵀ_i [d, Padded(O)] (ProductNorm) or G_i [O, d] (GEMM)

    /// <summary>True when the last norm pass kept every example's gradient for this Backward.</summary>
    internal bool HasKeptGradients => keptExamples >= 0;

    // ProductNorm path (small layers): keeping pays when writing and re-reading d·O values per
    // example is much less than the GEMM's pass over the example's K·T columns of Dᵀ and P, and
    // the buffer stays small.
    private bool KeepsExampleGradients(int examples, int kt)
    {
        long row = (long)PatchLength * ProductNorm.Padded(OutChannels);
        return 4 * row < (long)kt * (OutChannels + PatchLength) && examples * row <= MaxKeptValues;
    }

    // GEMM path (G_i built by one GEMM per example): keep when O ≤ K·T. The kept O·d values per
    // example are then no more than the d·K·T patch values the layer already keeps for Backward, so
    // the private step's extra memory is bounded by the non-private step's patches, and the weighted
    // sum re-reads no more than the book-keeping GEMM would read while skipping its K·T·O·d
    // multiply-adds. (WRN-16-4 at 28×28: the 28×28 and 14×14 stages keep, the 7×7 stage goes ghost.)
    private bool KeepsGemmGradients(int examples, int kt, int row) => OutChannels <= kt && (long)examples * row <= Array.MaxLength;

    /// <summary>
    /// Materialised per-example norms with one GEMM per example: G_i = D_iᵀX_i ([O, d]) into the kept
    /// buffer (when <see cref="KeepsGemmGradients"/>) or per-thread scratch, then
    /// squaredNorms[i] += <paramref name="weightNorm"/>(G_i) + ‖bias gradient‖². The callback must
    /// use only per-thread scratch (small layers run examples on several threads).
    /// </summary>
    internal void AddMaterialised(Span<double> squaredNorms, int views, ExampleGradientNorm weightNorm)
    {
        var (examples, _) = Cached(views, squaredNorms.Length);
        int kt = views * geometry.Positions, o = OutChannels, weights = o * PatchLength;
        var row = weights + (Bias is null ? 0 : o);
        var keep = KeepsGemmGradients(examples, kt, row);
        if (keep && keptGrads.Length < examples * row)
        {
            keptGrads = new float[examples * row];
        }
        var kept = keptGrads;
        keptExamples = -1;
        AddPerExample(squaredNorms, examples, (long)kt * weights, i =>
        {
            var g = keep ? kept.AsSpan(i * row, weights) : Scratch.Get(Scratch.Slot.ExampleGrad, weights).AsSpan(0, weights);
            ExampleWeightGradient(i, views, g);
            double bias;
            if (keep && Bias is not null)
            {
                var bg = kept.AsSpan(i * row + weights, o);
                ExampleBiasGradient(i, views, bg);
                bias = TensorPrimitives.Dot<float>(bg, bg);
            }
            else
            {
                bias = BiasSquaredNorm(i, views);
            }
            return weightNorm(g) + bias;
        });
        keptExamples = keep ? examples : -1;
        keptViews = views;
        keptTransposed = false;
    }

    // Σ_i s_i G_i from the kept per-example gradients (DESIGN.md §4's clipped sum, summed directly).
    // The weighted sum runs in blocks of KeptSumBlock values across all examples, so each block of
    // the sum stays in L1 while the kept rows stream past once; blocks are split across threads.
    private void AccumulateKept(ReadOnlySpan<float> exampleScale)
    {
        int d = PatchLength, o = OutChannels, mp = ProductNorm.Padded(o);
        int weights = keptTransposed ? d * mp : d * o, row = weights + (Bias is null ? 0 : o), examples = exampleScale.Length;
        if (keptSum.Length < row)
        {
            keptSum = new float[row];
        }
        if (keptScales.Length < examples)
        {
            keptScales = new float[examples];
        }
        exampleScale.CopyTo(keptScales);
        var sum = keptSum;
        var kept = keptGrads;
        var scales = keptScales;
        var blocks = (row + KeptSumBlock - 1) / KeptSumBlock;
        BatchParallel.For(blocks, (long)examples * KeptSumBlock, (start, end) =>
        {
            for (var b = start; b < end; b++)
            {
                int off = b * KeptSumBlock, len = Math.Min(KeptSumBlock, row - off);
                var block = sum.AsSpan(off, len);
                block.Clear();
                for (var i = 0; i < examples; i++)
                {
                    TensorPrimitives.MultiplyAdd(kept.AsSpan(i * row + off, len), scales[i], block, block);
                }
            }
        });
        var wg = Weight.Grad.Span;
        if (keptTransposed)
        {
            for (var j = 0; j < d; j++)
            {
                for (var c = 0; c < o; c++)
                {
                    wg[c * d + j] += sum[j * mp + c];
                }
            }
        }
        else
        {
            TensorPrimitives.Add(wg, sum.AsSpan(0, weights), wg);
        }
        if (Bias is not null)
        {
            TensorPrimitives.Add(Bias.Grad.Span, sum.AsSpan(weights, o), Bias.Grad.Span);
        }
    }
}
