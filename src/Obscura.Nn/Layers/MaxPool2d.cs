using Obscura.Tensors;
using Obscura.Tensors.Kernels;

namespace Obscura.Nn.Layers;

/// <summary>
/// Max pooling over k×k windows moved by <c>stride</c> (may be smaller than k: 2×2 stride 1
/// overlaps), no padding. x: [N, C, H, W] → y: [N, C, OH, OW], OH = (H − k)/stride + 1.
/// Forward keeps the argmax of every window; backward routes dy there (ties: the first maximum).
/// </summary>
public sealed class MaxPool2d(int kernelSize, int stride) : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private int[] argmax = [];   // forward cache: window maxima positions [N·C·OH·OW]
    private ConvGeometry geometry;
    private int planes = -1;

    public int KernelSize { get; } = kernelSize >= 1 ? kernelSize : throw new ArgumentException($"MaxPool2d: kernel must be ≥ 1, got {kernelSize}.");
    public int Stride { get; } = stride >= 1 ? stride : throw new ArgumentException($"MaxPool2d: stride must be ≥ 1, got {stride}.");

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        var g = PoolShapes.Geometry(this, inputShape, KernelSize, Stride);
        return [inputShape[0], g.OutHeight, g.OutWidth];
    }

    public override Tensor Forward(Tensor x)
    {
        geometry = PoolShapes.Geometry(this, x, KernelSize, Stride);
        planes = x.Dim(0) * x.Dim(1);
        output.Resize(x.Dim(0), x.Dim(1), geometry.OutHeight, geometry.OutWidth);
        if (argmax.Length < output.Length)
        {
            argmax = new int[output.Length];
        }
        Pooling.MaxForward(x.Data, planes, geometry, output.Data, argmax);
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        PoolShapes.CheckGrad(this, planes, dy, output);
        inputGrad.Resize(output.Dim(0), output.Dim(1), geometry.Height, geometry.Width);
        if (NeedsInputGradient)
        {
            Pooling.MaxBackward(dy.Data, argmax, planes, geometry, inputGrad.Data);
        }
        return inputGrad;
    }

    public override string ToString() => $"MaxPool2d({Name}: kernel {KernelSize}, stride {Stride})";
}
