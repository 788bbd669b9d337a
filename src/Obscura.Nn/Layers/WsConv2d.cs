using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// Weight-standardised convolution: the conv of <see cref="Conv2d"/> run with
/// Ŵ_o = (W_o − mean W_o) / s_o, s_o = sqrt(var W_o + ε), per output channel o over its fan-in
/// n = C·k·k (population variance), ε = <see cref="Epsilon"/>. The trainable parameter is W (and
/// the bias); gradients and per-example norms are w.r.t. W (DESIGN.md §4, derivation in
/// docs/ws-conv.md): with g = ∂L/∂Ŵ_o, a = Σ_j g_j, b = Ŵ_o·g and r_o = var/(var + ε),
/// ∇_{W_o} = (g − (a/n)·1 − (b/n)·Ŵ_o)/s_o and ‖∇_{W_o}‖² = (‖g‖² − a²/n − (2 − r_o)·b²/n)/s_o².
/// A private Conv2d holds Ŵ and does all the batch work; its Ŵ-space results (clipped sum,
/// per-example gradients, kept patches and output gradients) are mapped back here.
/// </summary>
public sealed class WsConv2d : Layer, IGradientSource
{
    /// <summary>ε in s_o = sqrt(var + ε), as in Qiao et al. (2019), "Weight Standardization".</summary>
    public const double Epsilon = 1e-5;

    private readonly Conv2d conv;      // its Weight.Value is Ŵ, its Weight.Grad a Ŵ-space scratch
    private readonly double[] invScale; // 1/s_o, set by Forward
    private readonly double[] ratio;    // r_o = var_o/(var_o + ε), set by Forward

    public WsConv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Random rng, bool bias = true)
    {
        conv = new Conv2d(inChannels, outChannels, kernelSize, stride, padding, rng, bias);
        Weight = new Parameter("weight", conv.Weight.Value.Clone());
        Bias = conv.Bias;
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
        invScale = new double[outChannels];
        ratio = new double[outChannels];
    }

    public int InChannels => conv.InChannels;
    public int OutChannels => conv.OutChannels;
    public int KernelSize => conv.KernelSize;
    public int Stride => conv.Stride;
    public int Padding => conv.Padding;

    /// <summary>The trainable, unstandardised weight W: [O, C, k, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias (shared with the inner conv), or null.</summary>
    public Parameter? Bias { get; }

    public IReadOnlyList<Parameter> Parameters { get; }
    public override IEnumerable<Parameter> OwnParameters => Parameters;

    /// <summary>Ŵ as of the last Forward: [O, C, k, k].</summary>
    public Tensor StandardisedWeight => conv.Weight.Value;

    /// <summary>True when the last norm pass kept every example's Ŵ-space gradient for the clipped sum.</summary>
    internal bool HasKeptGradients => conv.HasKeptGradients;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => conv.OutputShape(inputShape);

    public override Tensor Forward(Tensor x)
    {
        conv.Name = Name;
        Standardise();
        return conv.Forward(x);
    }

    public override Tensor Backward(Tensor dy)
    {
        conv.NeedsInputGradient = NeedsInputGradient;
        return conv.Backward(dy);
    }

    public void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views)
    {
        // The Jacobian of W ↦ Ŵ is linear and the same for every example: clip-sum in Ŵ-space, map once.
        conv.Weight.Grad.Clear();
        conv.AccumulateGradients(exampleScale, views);
        var n = conv.PatchLength;
        var gHat = conv.Weight.Grad.Span;
        var grad = Weight.Grad.Span;
        var mapped = Scratch.Get(Scratch.Slot.ExampleGrad, n).AsSpan(0, n);
        for (var o = 0; o < OutChannels; o++)
        {
            MapRow(o, gHat.Slice(o * n, n), mapped);
            var row = grad.Slice(o * n, n);
            TensorPrimitives.Add(row, mapped, row);
        }
    }

    public void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method)
    {
        int d = conv.PatchLength, o = OutChannels;
        var examples = conv.CheckedExamples(views, squaredNorms.Length);
        if (conv.UsesGhost(method, views))
        {
            Ghost(squaredNorms, views, examples);
        }
        else
        {
            // G_i in Ŵ-space; the inner conv may keep them, and then AccumulateGradients sums the
            // kept G_i (still in Ŵ-space) instead of running the book-keeping GEMM.
            conv.AddMaterialised(squaredNorms, views, g =>
            {
                var w = conv.Weight.Value.Span;
                double sum = 0;
                for (var c = 0; c < o; c++)
                {
                    var row = g.Slice(c * d, d);
                    sum += RowNorm(c, TensorPrimitives.Dot(row, row), TensorPrimitives.Sum(row), TensorPrimitives.Dot(w.Slice(c * d, d), row));
                }
                return Math.Max(0, sum);
            });
        }
    }

    public void PerExampleGradients(Span<float> destination, int views)
    {
        conv.PerExampleGradients(destination, views);
        int n = conv.PatchLength, total = OutChannels * n + (Bias is null ? 0 : OutChannels);
        var examples = conv.CheckedExamples(views, -1);
        var mapped = Scratch.Get(Scratch.Slot.ExampleGrad, n).AsSpan(0, n);
        for (var i = 0; i < examples; i++)
        {
            for (var o = 0; o < OutChannels; o++)
            {
                var row = destination.Slice(i * total + o * n, n);
                MapRow(o, row, mapped);
                mapped.CopyTo(row);
            }
        }
    }

    // Ghost form of every term: ‖g_o‖²/s_o² from the Gram matrices with Dᵀ rows scaled by 1/s_o;
    // a_o = Σ_t D[t, o]·(Σ_j X[t, j]); b_o = Σ_t D[t, o]·Z[t, o] with Z = XŴᵀ = y − bias, from the kept output.
    private void Ghost(Span<double> squaredNorms, int views, int examples)
    {
        int o = OutChannels, ld = conv.BatchColumns, kt = views * conv.Positions, d = conv.PatchLength;
        var grad = conv.GradT;
        var scaled = Scratch.Get(Scratch.Slot.StandardisedGrad, o * ld);
        for (var c = 0; c < o; c++)
        {
            TensorPrimitives.Multiply(grad.Slice(c * ld, ld), (float)invScale[c], scaled.AsSpan(c * ld, ld));
        }
        var patchSums = Scratch.Get(Scratch.Slot.PatchSums, ld);
        var sums = patchSums.AsSpan(0, ld);
        sums.Clear();
        var patches = conv.PatchesT;
        for (var r = 0; r < d; r++)
        {
            TensorPrimitives.Add(sums, patches.Slice(r * ld, ld), sums);
        }
        conv.AddPerExample(squaredNorms, examples, (long)kt * kt * (o + d), i =>
        {
            double sum = conv.GhostWeightNorm(scaled.AsSpan(0, o * ld), i, views);
            var block = patchSums.AsSpan(i * kt, kt);
            var g = conv.GradT;
            var y = conv.Output;
            var t = conv.Positions;
            var bias = Bias?.Value.Data;
            for (var c = 0; c < o; c++)
            {
                var dRow = g.Slice(c * ld + i * kt, kt);
                // b_o = Σ_t D[t, o]·Z[t, o] with Z = y − bias (y is [N, O, T]: one block per view).
                double b = 0;
                for (var v = 0; v < views; v++)
                {
                    var n = i * views + v;
                    b += TensorPrimitives.Dot(dRow.Slice(v * t, t), y.Slice((n * o + c) * t, t));
                }
                if (bias is not null)
                {
                    b -= bias[c] * (double)TensorPrimitives.Sum(dRow);
                }
                sum += RowNorm(c, 0, TensorPrimitives.Dot(dRow, block), b);
            }
            return Math.Max(0, sum) + conv.BiasSquaredNorm(i, views);
        });
    }

    // (‖g‖² − a²/n − (2 − r)·b²/n)/s² for output channel o. Rounding can make a true zero slightly
    // negative; callers clamp the example's total at 0.
    private double RowNorm(int o, double squared, double a, double b)
    {
        double n = conv.PatchLength, inv2 = invScale[o] * invScale[o];
        return inv2 * (squared - a * a / n - (2 - ratio[o]) * b * b / n);
    }

    // ∇_W = (g − (a/n)·1 − (b/n)·Ŵ_o)/s_o for one output channel; gHat and destination may alias.
    private void MapRow(int o, ReadOnlySpan<float> gHat, Span<float> destination)
    {
        var n = conv.PatchLength;
        var w = conv.Weight.Value.Span.Slice(o * n, n);
        double a = TensorPrimitives.Sum(gHat), b = TensorPrimitives.Dot(w, gHat);
        var inv = invScale[o];
        for (var j = 0; j < n; j++)
        {
            destination[j] = (float)(inv * (gHat[j] - a / n - b / n * w[j]));
        }
    }

    // Ŵ_o = (W_o − μ_o)/s_o into the inner conv's weight, with s_o and r_o kept for backward.
    private void Standardise()
    {
        var n = conv.PatchLength;
        var w = Weight.Value.Span;
        var wHat = conv.Weight.Value.Span;
        for (var o = 0; o < OutChannels; o++)
        {
            var row = w.Slice(o * n, n);
            double mean = 0, variance = 0;
            foreach (var v in row)
            {
                mean += v;
            }
            mean /= n;
            foreach (var v in row)
            {
                variance += (v - mean) * (v - mean);
            }
            variance /= n;
            var inv = 1 / Math.Sqrt(variance + Epsilon);
            invScale[o] = inv;
            ratio[o] = variance / (variance + Epsilon);
            var dst = wHat.Slice(o * n, n);
            for (var j = 0; j < n; j++)
            {
                dst[j] = (float)((row[j] - mean) * inv);
            }
        }
    }
}
