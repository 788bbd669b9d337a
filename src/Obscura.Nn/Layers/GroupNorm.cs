using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// Group normalisation (Wu and He 2018) over x: [N, C, H, W] or [N, C] (H = W = 1). Channels are
/// split into G groups of C/G; each row n and group g is normalised on its own, so examples never
/// mix (the DP-safe replacement for BatchNorm):
///   x̂ = (x − μ_ng) / sqrt(σ²_ng + ε),  y = γ_c x̂ + β_c  (affine)  or  y = x̂  (not affine),
/// with μ, σ² the mean and biased variance over the group's (C/G)·H·W values.
/// <para>
/// Backward (per row and group, m values, σ̂ = sqrt(σ² + ε), g = dy ⊙ γ):
///   dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / σ̂.
/// Both group means are sums over channels of the per-channel sums Σ_hw dy and Σ_hw dy ⊙ x̂,
/// which are exactly each row's gradients for β and γ. Backward keeps these [N, C] tables, so
/// every per-example quantity (DESIGN.md §4: "materialise; they are cheap") is a sum over an
/// example's K rows of them.
/// </para>
/// Without <c>affine</c> the layer has no parameters and its <see cref="IGradientSource"/> methods
/// do nothing (it still implements the interface so a model can hold either form).
/// </summary>
public sealed class GroupNorm : Layer, IGradientSource
{
    private readonly Tensor output = new(0);
    private readonly Tensor normalised = new(0);   // forward cache: x̂, [N, C, HW]
    private readonly Tensor invStd = new(0);       // forward cache: 1/σ̂, [N, G]
    private readonly Tensor inputGrad = new(0);
    private readonly Tensor rowGammaGrad = new(0); // backward cache: Σ_hw dy ⊙ x̂, [N, C]
    private readonly Tensor rowBetaGrad = new(0);  // backward cache: Σ_hw dy, [N, C]
    private int rows = -1;                         // rows of the last Forward; -1 before any
    private bool hasBackward;

    public GroupNorm(int groups, int channels, bool affine = true, float eps = 1e-5f)
    {
        if (groups < 1 || channels < 1 || channels % groups != 0)
        {
            throw new ArgumentException($"GroupNorm: channels ({channels}) must be a positive multiple of groups ({groups}).");
        }
        if (!(eps > 0))
        {
            throw new ArgumentException($"GroupNorm: eps must be positive, got {eps}.");
        }
        Groups = groups;
        Channels = channels;
        Affine = affine;
        Eps = eps;
        if (affine)
        {
            Weight = new Parameter("weight", new Tensor(channels));
            Bias = new Parameter("bias", new Tensor(channels));
            Weight.Value.Span.Fill(1f);
            Parameters = [Weight, Bias];
        }
        else
        {
            Parameters = [];
        }
    }

    public int Groups { get; }
    public int Channels { get; }
    public bool Affine { get; }
    public float Eps { get; }

    /// <summary>γ: [C], initialised to 1; null when not affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>β: [C], initialised to 0; null when not affine.</summary>
    public Parameter? Bias { get; }

    public IReadOnlyList<Parameter> Parameters { get; }
    public override IEnumerable<Parameter> OwnParameters => Parameters;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if ((inputShape.Length != 1 && inputShape.Length != 3) || inputShape[0] != Channels)
        {
            throw new ArgumentException($"{Describe()}: input items must be [{Channels}] or [{Channels}, H, W], got [{string.Join(", ", inputShape.ToArray())}].");
        }
        return inputShape.ToArray();
    }

    public override Tensor Forward(Tensor x)
    {
        if ((x.Rank != 2 && x.Rank != 4) || x.Dim(1) != Channels)
        {
            throw new ArgumentException($"{Describe()}: input must be [N, {Channels}] or [N, {Channels}, H, W], got {x.ShapeText}.");
        }
        var shape = x.Shape.ToArray();
        var n = x.Dim(0);
        var spatial = x.Rank == 4 ? x.Dim(2) * x.Dim(3) : 1;
        var groupSize = Channels / Groups * spatial;
        normalised.Resize(shape);
        invStd.Resize(n, Groups);
        var xs = x.Span;
        var xh = normalised.Span;
        var inv = invStd.Span;
        for (var ng = 0; ng < n * Groups; ng++)
        {
            var src = xs.Slice(ng * groupSize, groupSize);
            var dst = xh.Slice(ng * groupSize, groupSize);
            // Two passes (mean, then squared deviations) keep the variance accurate in float.
            var mean = groupSize == 0 ? 0f : TensorPrimitives.Sum(src) / groupSize;
            TensorPrimitives.Subtract(src, mean, dst);
            var variance = groupSize == 0 ? 0.0 : (double)TensorPrimitives.SumOfSquares<float>(dst) / groupSize;
            var s = (float)(1.0 / Math.Sqrt(variance + Eps));
            inv[ng] = s;
            TensorPrimitives.Multiply(dst, s, dst);
        }
        rows = n;
        hasBackward = false;
        if (!Affine)
        {
            return normalised;
        }
        output.Resize(shape);
        var ys = output.Span;
        var gamma = Weight!.Value.Span;
        var beta = Bias!.Value.Span;
        for (var nc = 0; nc < n * Channels; nc++)
        {
            var c = nc % Channels;
            var y = ys.Slice(nc * spatial, spatial);
            TensorPrimitives.Multiply(xh.Slice(nc * spatial, spatial), gamma[c], y);
            TensorPrimitives.Add(y, beta[c], y);
        }
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (rows < 0)
        {
            throw new InvalidOperationException($"{Describe()}.Backward called before Forward.");
        }
        if (!dy.HasShape(normalised.Shape))
        {
            throw new ArgumentException($"{Describe()}.Backward: dy must have the output's shape {normalised.ShapeText}, got {dy.ShapeText}.");
        }
        var n = rows;
        var spatial = normalised.Length / Math.Max(1, n * Channels);
        var perGroup = Channels / Groups;
        var groupSize = perGroup * spatial;
        rowGammaGrad.Resize(n, Channels);
        rowBetaGrad.Resize(n, Channels);
        inputGrad.Resize(normalised.Shape.ToArray());
        var ds = dy.Span;
        var xh = normalised.Span;
        var gs = rowGammaGrad.Span;
        var bs = rowBetaGrad.Span;
        for (var nc = 0; nc < n * Channels; nc++)
        {
            var d = ds.Slice(nc * spatial, spatial);
            bs[nc] = TensorPrimitives.Sum(d);
            gs[nc] = TensorPrimitives.Dot(d, xh.Slice(nc * spatial, spatial));
        }
        hasBackward = true;
        if (!NeedsInputGradient)
        {
            return inputGrad;
        }
        var dx = inputGrad.Span;
        var inv = invStd.Span;
        var gamma = Affine ? Weight!.Value.Span : default;
        for (var ng = 0; ng < n * Groups; ng++)
        {
            var c0 = ng * perGroup; // flat (row, channel) index of the group's first channel
            double sumG = 0, sumGx = 0;
            for (var j = 0; j < perGroup; j++)
            {
                var scale = Affine ? gamma[(c0 + j) % Channels] : 1f;
                sumG += (double)scale * bs[c0 + j];
                sumGx += (double)scale * gs[c0 + j];
            }
            var meanG = (float)(sumG / groupSize);
            var meanGx = (float)(sumGx / groupSize);
            var s = inv[ng];
            for (var j = 0; j < perGroup; j++)
            {
                var scale = Affine ? gamma[(c0 + j) % Channels] : 1f;
                var offset = (c0 + j) * spatial;
                var d = ds.Slice(offset, spatial);
                var x = xh.Slice(offset, spatial);
                var o = dx.Slice(offset, spatial);
                // o = (scale·dy − meanG − x̂·meanGx) · s
                TensorPrimitives.Multiply(x, -meanGx, o);
                TensorPrimitives.MultiplyAdd(d, scale, o, o);
                TensorPrimitives.Add(o, -meanG, o);
                TensorPrimitives.Multiply(o, s, o);
            }
        }
        return inputGrad;
    }

    public void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views)
    {
        if (!Affine)
        {
            return;
        }
        EnsureBackward();
        var gammaGrad = Weight!.Grad.Span;
        var betaGrad = Bias!.Grad.Span;
        var gs = rowGammaGrad.Span;
        var bs = rowBetaGrad.Span;
        for (var r = 0; r < rows; r++)
        {
            var s = exampleScale.IsEmpty ? 1f : exampleScale[r / views];
            TensorPrimitives.MultiplyAdd(gs.Slice(r * Channels, Channels), s, gammaGrad, gammaGrad);
            TensorPrimitives.MultiplyAdd(bs.Slice(r * Channels, Channels), s, betaGrad, betaGrad);
        }
    }

    /// <summary>Always materialises (the per-example gradient has only 2C values); ignores <paramref name="method"/>.</summary>
    public void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method)
    {
        if (!Affine)
        {
            return;
        }
        EnsureBackward();
        var examples = rows / views;
        var gs = rowGammaGrad.Span;
        var bs = rowBetaGrad.Span;
        for (var i = 0; i < examples; i++)
        {
            double sum = 0;
            for (var c = 0; c < Channels; c++)
            {
                double g = 0, b = 0;
                for (var a = 0; a < views; a++)
                {
                    var r = i * views + a;
                    g += gs[r * Channels + c];
                    b += bs[r * Channels + c];
                }
                sum += g * g + b * b;
            }
            squaredNorms[i] += sum;
        }
    }

    public void PerExampleGradients(Span<float> destination, int views)
    {
        if (!Affine)
        {
            return;
        }
        EnsureBackward();
        var examples = rows / views;
        var gs = rowGammaGrad.Span;
        var bs = rowBetaGrad.Span;
        for (var i = 0; i < examples; i++)
        {
            var gamma = destination.Slice(i * 2 * Channels, Channels);
            var beta = destination.Slice(i * 2 * Channels + Channels, Channels);
            gamma.Clear();
            beta.Clear();
            for (var a = 0; a < views; a++)
            {
                var r = i * views + a;
                TensorPrimitives.Add(gamma, gs.Slice(r * Channels, Channels), gamma);
                TensorPrimitives.Add(beta, bs.Slice(r * Channels, Channels), beta);
            }
        }
    }

    private void EnsureBackward()
    {
        if (!hasBackward)
        {
            throw new InvalidOperationException($"{Describe()}: no Backward since the last Forward.");
        }
    }

    private string Describe() => $"GroupNorm({Groups}, {Channels}{(Affine ? "" : ", affine: false")})";
}
