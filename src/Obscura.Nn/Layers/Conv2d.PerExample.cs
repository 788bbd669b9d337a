using Obscura.Tensors.Blas;
using Obscura.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

// IGradientSource for Conv2d (DESIGN.md §4), plus the internal pieces WsConv2d builds on.
public sealed partial class Conv2d
{
    private const long ThreadedGemmWork = 4 * 65_536;
    private double[] exampleNorms = [];

    public void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views)
    {
        var (examples, ld) = Cached(views, exampleScale.Length);
        int d = PatchLength, o = OutChannels;
        if (!exampleScale.IsEmpty && keptExamples == examples && keptViews == views)
        {
            AccumulateKept(exampleScale[..examples]);
            return;
        }
        ReadOnlySpan<float> grad = exampleScale.IsEmpty ? gradT.Span : ScaledGrad(exampleScale, views);
        Gemm.Sgemm(false, true, o, d, ld, 1f, grad, ld, patches.Span, ld, 1f, Weight.Grad.Span, d);
        if (Bias is not null)
        {
            var bg = Bias.Grad.Span;
            for (var c = 0; c < o; c++)
            {
                bg[c] += TensorPrimitives.Sum(grad.Slice(c * ld, ld));
            }
        }
    }

    public void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method)
    {
        var (examples, _) = Cached(views, squaredNorms.Length);
        int weights = OutChannels * PatchLength;
        long kt = (long)views * geometry.Positions;
        if (UsesGhost(method, views))
        {
            AddPerExample(squaredNorms, examples, kt * kt * (OutChannels + PatchLength),
                i => GhostWeightNorm(gradT.Span, i, views) + BiasSquaredNorm(i, views));
        }
        else if (ProductNorm.IsSupported && kt * weights < ThreadedGemmWork)
        {
            // ‖D_iᵀX_i‖² in registers: no per-example BLAS call, examples split across threads.
            // Only below the size where one GEMM per example runs well (and threaded) in BLAS.
            // Small layers also keep every G_i (and bias gradient), so the clipped sum is a weighted
            // sum of these instead of a second pass over the patches (KeepsExampleGradients).
            int ikt = (int)kt, ld = BatchColumns, o = OutChannels, d = PatchLength, mp = ProductNorm.Padded(o);
            var keep = KeepsExampleGradients(examples, ikt);
            var row = keep ? d * mp + (Bias is null ? 0 : o) : 0;
            if (keep && keptGrads.Length < examples * row)
            {
                keptGrads = new float[examples * row];
            }
            var g = gradT.Data;
            var p = patches.Data;
            var kept = keptGrads;
            if (exampleNorms.Length < examples)
            {
                exampleNorms = new double[examples];
            }
            var results = exampleNorms;
            BatchParallel.For(examples, kt * weights, (start, end) =>
            {
                var scratch = Scratch.Get(Scratch.Slot.ExampleGrad, ProductNorm.ScratchLength(o, ikt));
                for (var i = start; i < end; i++)
                {
                    var off = i * ikt;
                    var product = keep ? kept.AsSpan(i * row, d * mp) : default;
                    double bias;
                    if (keep && Bias is not null)
                    {
                        var bg = kept.AsSpan(i * row + d * mp, o);
                        ExampleBiasGradient(i, views, bg);
                        bias = TensorPrimitives.Dot<float>(bg, bg);
                    }
                    else
                    {
                        bias = BiasSquaredNorm(i, views);
                    }
                    results[i] = ProductNorm.SquaredNorm(g.AsSpan(off), ld, o, p.AsSpan(off), ld, d, ikt, scratch, product) + bias;
                }
            });
            for (var i = 0; i < examples; i++)
            {
                squaredNorms[i] += results[i];
            }
            keptExamples = keep ? examples : -1;
            keptViews = views;
            keptTransposed = true;
        }
        else
        {
            AddMaterialised(squaredNorms, views, g => TensorPrimitives.Dot(g, g));
        }
    }

    public void PerExampleGradients(Span<float> destination, int views)
    {
        var (examples, _) = Cached(views, -1);
        int weights = OutChannels * PatchLength, total = weights + (Bias is null ? 0 : OutChannels);
        for (var i = 0; i < examples; i++)
        {
            var row = destination.Slice(i * total, total);
            ExampleWeightGradient(i, views, row[..weights]);
            if (Bias is not null)
            {
                ExampleBiasGradient(i, views, row[weights..]);
            }
        }
    }

    /// <summary>
    /// squaredNorms[i] += norm(i) for every example. The per-example GEMMs of small layers are below
    /// the size at which the BLAS providers use threads (OpenBLAS: m·n·k &lt; 4·65536), so such
    /// examples are split across threads here instead; larger ones run in order and are threaded
    /// inside the provider. <paramref name="norm"/> must use only per-thread scratch.
    /// </summary>
    internal void AddPerExample(Span<double> squaredNorms, int examples, long workPerExample, Func<int, double> norm)
    {
        if (exampleNorms.Length < examples)
        {
            exampleNorms = new double[examples];
        }
        var results = exampleNorms;
        if (workPerExample < ThreadedGemmWork)
        {
            BatchParallel.For(examples, workPerExample, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    results[i] = norm(i);
                }
            });
        }
        else
        {
            for (var i = 0; i < examples; i++)
            {
                results[i] = norm(i);
            }
        }
        for (var i = 0; i < examples; i++)
        {
            squaredNorms[i] += results[i];
        }
    }

    /// <summary>
    /// Ghost under Auto when it is less work: (KT)²·(O + d) for the two Gram matrices against
    /// KT·O·d to build G_i (docs/per-example-norms.md; DESIGN.md §4 compared memory instead).
    /// </summary>
    internal bool UsesGhost(NormMethod method, int views)
    {
        long kt = (long)views * geometry.Positions;
        return method == NormMethod.Ghost || (method == NormMethod.Auto && kt * (OutChannels + PatchLength) < (long)OutChannels * PatchLength);
    }

    /// <summary>P: [d, N·T], the kept patches.</summary>
    internal ReadOnlySpan<float> PatchesT => patches.Span;

    /// <summary>Dᵀ: [O, N·T], the kept output gradients.</summary>
    internal ReadOnlySpan<float> GradT => gradT.Span;

    /// <summary>y: [N, O, OH·OW], the last output (Z = W·P plus the bias, N and O swapped).</summary>
    internal ReadOnlySpan<float> Output => output.Span;

    /// <summary>T = OH·OW of the last Forward.</summary>
    internal int Positions => geometry.Positions;

    /// <summary>Number of examples in the kept chunk; throws unless Forward and Backward ran.</summary>
    internal int CheckedExamples(int views, int slots) => Cached(views, slots).Examples;

    /// <summary>N·T, the leading dimension of the kept matrices.</summary>
    internal int BatchColumns => rows * geometry.Positions;

    /// <summary>G_i = D_iᵀ X_i: [O, d] for example i (its K·T columns).</summary>
    internal void ExampleWeightGradient(int example, int views, Span<float> destination)
    {
        int kt = views * geometry.Positions, ld = BatchColumns, off = example * kt;
        Gemm.Sgemm(false, true, OutChannels, PatchLength, kt, 1f, gradT.Span[off..], ld, patches.Span[off..], ld, 0f, destination, PatchLength);
    }

    /// <summary>
    /// ⟨X_iX_iᵀ, D_iD_iᵀ⟩ = ‖D_iᵀX_i‖² with D_iᵀ read from <paramref name="grad"/> ([O, N·T], so a
    /// caller may pass row-scaled gradients), in O((KT)²(O + d)).
    /// </summary>
    internal double GhostWeightNorm(ReadOnlySpan<float> grad, int example, int views)
    {
        int kt = views * geometry.Positions, ld = BatchColumns, off = example * kt;
        var gx = Scratch.Get(Scratch.Slot.GramInputs, kt * kt).AsSpan(0, kt * kt);
        var gd = Scratch.Get(Scratch.Slot.GramGrads, kt * kt).AsSpan(0, kt * kt);
        Gemm.Sgemm(true, false, kt, kt, PatchLength, 1f, patches.Span[off..], ld, patches.Span[off..], ld, 0f, gx, kt);
        Gemm.Sgemm(true, false, kt, kt, OutChannels, 1f, grad[off..], ld, grad[off..], ld, 0f, gd, kt);
        return TensorPrimitives.Dot<float>(gx, gd);
    }

    /// <summary>‖Σ_t D_i[t, :]‖², the example's squared bias-gradient norm (0 without a bias).</summary>
    internal double BiasSquaredNorm(int example, int views)
    {
        if (Bias is null)
        {
            return 0;
        }
        int kt = views * geometry.Positions, ld = BatchColumns;
        var g = gradT.Span;
        double sum = 0;
        for (var c = 0; c < OutChannels; c++)
        {
            double s = TensorPrimitives.Sum(g.Slice(c * ld + example * kt, kt));
            sum += s * s;
        }
        return sum;
    }

    private void ExampleBiasGradient(int example, int views, Span<float> destination)
    {
        int kt = views * geometry.Positions, ld = BatchColumns;
        for (var c = 0; c < OutChannels; c++)
        {
            destination[c] = TensorPrimitives.Sum(gradT.Span.Slice(c * ld + example * kt, kt));
        }
    }

    // Dᵀ with example i's K·T columns scaled by s_i: (S·D)ᵀ in DESIGN.md §4.
    private float[] ScaledGrad(ReadOnlySpan<float> exampleScale, int views)
    {
        int kt = views * geometry.Positions, ld = BatchColumns;
        var scaled = Scratch.Get(Scratch.Slot.ScaledGrad, OutChannels * ld);
        var g = gradT.Span;
        for (var c = 0; c < OutChannels; c++)
        {
            for (var i = 0; i < ld / kt; i++)
            {
                var off = c * ld + i * kt;
                TensorPrimitives.Multiply(g.Slice(off, kt), exampleScale[i], scaled.AsSpan(off, kt));
            }
        }
        return scaled;
    }

    // Checks that Forward and Backward ran and that the chunk splits into examples of `views` rows.
    private (int Examples, int Ld) Cached(int views, int expectedExamples)
    {
        if (rows < 0 || !hasGrad)
        {
            throw new InvalidOperationException($"{Describe()}: per-example quantities need a Forward and a Backward first.");
        }
        if (views < 1 || rows % views != 0)
        {
            throw new ArgumentException($"{Describe()}: {rows} rows do not split into examples of {views} views.");
        }
        var examples = rows / views;
        if (expectedExamples > 0 && expectedExamples < examples)
        {
            throw new ArgumentException($"{Describe()}: expected one value per example ({examples}), got only {expectedExamples}.");
        }
        return (examples, BatchColumns);
    }
}
