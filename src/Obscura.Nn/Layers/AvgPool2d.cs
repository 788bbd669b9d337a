using Obscura.Tensors;
using Obscura.Tensors.Kernels;

namespace Obscura.Nn.Layers;

/// <summary>
/// Average pooling over k×k windows moved by <c>stride</c>, no padding.
/// x: [N, C, H, W] → y: [N, C, OH, OW], OH = (H − k)/stride + 1; y = window mean.
/// </summary>
public sealed class AvgPool2d(int kernelSize, int stride) : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private ConvGeometry geometry;
    private int planes = -1;

    public int KernelSize { get; } = kernelSize >= 1 ? kernelSize : throw new ArgumentException($"AvgPool2d: kernel must be ≥ 1, got {kernelSize}.");
    public int Stride { get; } = stride >= 1 ? stride : throw new ArgumentException($"AvgPool2d: stride must be ≥ 1, got {stride}.");

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
        Pooling.AvgForward(x.Data, planes, geometry, output.Data);
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        PoolShapes.CheckGrad(this, planes, dy, output);
        inputGrad.Resize(output.Dim(0), output.Dim(1), geometry.Height, geometry.Width);
        if (NeedsInputGradient)
        {
            Pooling.AvgBackward(dy.Data, planes, geometry, inputGrad.Data);
        }
        return inputGrad;
    }

    public override string ToString() => $"AvgPool2d({Name}: kernel {KernelSize}, stride {Stride})";
}
