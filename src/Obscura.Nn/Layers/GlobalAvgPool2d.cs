using Obscura.Tensors;
using Obscura.Tensors.Kernels;

namespace Obscura.Nn.Layers;

/// <summary>x: [N, C, H, W] → y: [N, C], y[n, c] = mean of x[n, c, :, :].</summary>
public sealed class GlobalAvgPool2d : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private int[] inputShape = [];

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3)
        {
            throw new ArgumentException($"GlobalAvgPool2d({Name}): input items must be [C, H, W], got [{string.Join(", ", inputShape.ToArray())}].");
        }
        return [inputShape[0]];
    }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(2) * x.Dim(3) == 0)
        {
            throw new ArgumentException($"GlobalAvgPool2d({Name}): input must be [N, C, H, W] with H, W ≥ 1, got {x.ShapeText}.");
        }
        inputShape = x.Shape.ToArray();
        output.Resize(x.Dim(0), x.Dim(1));
        Pooling.GlobalAvgForward(x.Span, output.Length, x.Dim(2) * x.Dim(3), output.Span);
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (inputShape.Length == 0)
        {
            throw new InvalidOperationException($"GlobalAvgPool2d({Name}): Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"GlobalAvgPool2d({Name}): output gradient must be {output.ShapeText}, got {dy.ShapeText}.");
        }
        inputGrad.Resize(inputShape);
        if (NeedsInputGradient)
        {
            Pooling.GlobalAvgBackward(dy.Span, output.Length, inputShape[2] * inputShape[3], inputGrad.Span);
        }
        return inputGrad;
    }
}
