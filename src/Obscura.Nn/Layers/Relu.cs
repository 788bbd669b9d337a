using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// y = max(x, 0), elementwise, any shape [N, ...]. Forward caches y; backward passes dy where
/// y &gt; 0 and 0 elsewhere (the subgradient at 0 is taken as 0, as in PyTorch).
/// </summary>
public sealed class Relu : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private bool hasOutput; // forward cache: y lives in `output`

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    public override Tensor Forward(Tensor x)
    {
        output.Resize(x.Shape.ToArray());
        TensorPrimitives.Max(x.Span, 0f, output.Span);
        hasOutput = true;
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (!hasOutput)
        {
            throw new InvalidOperationException("Relu.Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"Relu.Backward: dy must have the output's shape {output.ShapeText}, got {dy.ShapeText}.");
        }
        inputGrad.Resize(output.Shape.ToArray());
        if (NeedsInputGradient)
        {
            var y = output.Span;
            var g = dy.Span;
            var dx = inputGrad.Span;
            for (var i = 0; i < dx.Length; i++)
            {
                dx[i] = y[i] > 0f ? g[i] : 0f;
            }
        }
        return inputGrad;
    }
}
