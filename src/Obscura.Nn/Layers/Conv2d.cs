using Obscura.Tensors;
using Obscura.Tensors.Blas;
using Obscura.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// 2-d convolution (cross-correlation) with zero padding. x: [N, C, H, W], W: [O, C, k, k],
/// b: [O], y: [N, O, OH, OW], OH = (H + 2·pad − k)/stride + 1.
/// <para>
/// Layouts (chosen so every GEMM runs on the whole batch without transposing a matrix): the
/// patches P = im2col(x) are [d, N·T] with d = C·k·k and T = OH·OW, image n in columns
/// [n·T, (n+1)·T); the product Z = W·P is [O, N·T]; y is Z with the N and O axes swapped (block
/// copies of T values) plus the bias; Z itself lives in shared scratch. Backward swaps dy back into Dᵀ: [O, N·T]; then
/// dP = Wᵀ·Dᵀ (col2im gives dx) and dW = Dᵀ·Pᵀ.
/// </para>
/// <para>
/// Per-example rule (DESIGN.md §4): example i owns the K·T columns of its K views, so
/// X_iᵀ = P[:, i·KT..] and D_iᵀ = Dᵀ[:, i·KT..] are column blocks (leading dimension N·T) that GEMMs
/// read in place. G_i = D_iᵀX_i; ghost norm ⟨X_iX_iᵀ, D_iD_iᵀ⟩ with KT×KT Gram matrices; Auto picks
/// ghost when KT·(O + d) &lt; O·d (less work). The clipped sum is (S·D)ᵀX, one GEMM, unless the
/// materialised norm pass kept every G_i (Conv2d.Kept.cs): then it is Σ_i s_i G_i over those.
/// </para>
/// Forward keeps P (grow-only, reused across steps) and y; Backward keeps Dᵀ.
/// </summary>
public sealed partial class Conv2d : Layer, IGradientSource
{
    private readonly Tensor patches = new(0);    // forward cache: P [d, N·T]
    private readonly Tensor output = new(0);     // y [N, O, OH, OW]
    private readonly Tensor gradT = new(0);      // backward cache: Dᵀ [O, N·T]
    private readonly Tensor inputGrad = new(0);  // dx [N, C, H, W]
    private ConvGeometry geometry;
    private int rows = -1;                       // N of the last Forward
    private bool hasGrad;

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Random rng, bool bias = true)
    {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0)
        {
            throw new ArgumentException($"Conv2d: need positive channels, kernel and stride and padding ≥ 0, got {inChannels}→{outChannels}, kernel {kernelSize}, stride {stride}, padding {padding}.");
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        var fanIn = inChannels * kernelSize * kernelSize;
        Weight = new Parameter("weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Init.Uniform(Weight.Value.Span, fanIn, rng);
        if (bias)
        {
            Bias = new Parameter("bias", new Tensor(outChannels));
            Init.Uniform(Bias.Value.Span, fanIn, rng);
            Parameters = [Weight, Bias];
        }
        else
        {
            Parameters = [Weight];
        }
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public override IEnumerable<Parameter> OwnParameters => Parameters;

    /// <summary>d = C·k·k, the length of one patch (a row of W).</summary>
    public int PatchLength => InChannels * KernelSize * KernelSize;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[0] != InChannels)
        {
            throw new ArgumentException($"{Describe()}: input items must be [{InChannels}, H, W], got [{string.Join(", ", inputShape.ToArray())}].");
        }
        var g = Geometry(inputShape[1], inputShape[2]);
        return [OutChannels, g.OutHeight, g.OutWidth];
    }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != InChannels)
        {
            throw new ArgumentException($"{Describe()}: input must be [N, {InChannels}, H, W], got {x.ShapeText}.");
        }
        var n = x.Dim(0);
        geometry = Geometry(x.Dim(2), x.Dim(3));
        rows = n;
        hasGrad = false;
        keptExamples = -1;
        int t = geometry.Positions, d = PatchLength, o = OutChannels, ld = n * t;
        patches.Resize(d, ld);
        output.Resize(n, o, geometry.OutHeight, geometry.OutWidth);
        if (n == 0)
        {
            return output;
        }
        Patches.Im2Col(x.Data, n, geometry, patches.Data);
        var z = Scratch.Get(Scratch.Slot.ConvOutput, o * ld);
        Gemm.Sgemm(false, false, o, ld, d, 1f, Weight.Value.Span, d, patches.Span, ld, 0f, z, ld);

        // y[n, o, :] = Z[o, n·T ..] + b[o]
        var y = output.Data;
        var b = Bias?.Value.Data;
        BatchParallel.For(n, (long)o * t, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                for (var c = 0; c < o; c++)
                {
                    var src = z.AsSpan(c * ld + i * t, t);
                    var dst = y.AsSpan((i * o + c) * t, t);
                    if (b is null)
                    {
                        src.CopyTo(dst);
                    }
                    else
                    {
                        TensorPrimitives.Add(src, b[c], dst);
                    }
                }
            }
        });
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (rows < 0)
        {
            throw new InvalidOperationException($"{Describe()}: Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"{Describe()}: output gradient must be {output.ShapeText}, got {dy.ShapeText}.");
        }
        int n = rows, t = geometry.Positions, d = PatchLength, o = OutChannels, ld = n * t;
        gradT.Resize(o, ld);
        inputGrad.Resize(n, InChannels, geometry.Height, geometry.Width);
        hasGrad = true;
        keptExamples = -1;
        if (n == 0)
        {
            return inputGrad;
        }

        // Dᵀ[o, n·T ..] = dy[n, o, :]
        var src = dy.Data;
        var dst = gradT.Data;
        BatchParallel.For(n, (long)o * t, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                for (var c = 0; c < o; c++)
                {
                    src.AsSpan((i * o + c) * t, t).CopyTo(dst.AsSpan(c * ld + i * t, t));
                }
            }
        });

        if (NeedsInputGradient)
        {
            var patchGrad = Scratch.Get(Scratch.Slot.PatchGrad, d * ld);
            Gemm.Sgemm(true, false, d, ld, o, 1f, Weight.Value.Span, d, gradT.Span, ld, 0f, patchGrad, ld);
            Patches.Col2Im(patchGrad, n, geometry, inputGrad.Data);
        }
        return inputGrad;
    }

    private ConvGeometry Geometry(int height, int width)
    {
        try
        {
            return new ConvGeometry(InChannels, height, width, KernelSize, KernelSize, Stride, Padding);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{Describe()}: {e.Message}", e);
        }
    }

    private string Describe() =>
        $"Conv2d({Name}: {InChannels}→{OutChannels}, kernel {KernelSize}, stride {Stride}, padding {Padding})";
}
