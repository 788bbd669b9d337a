using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// y = tanh(x), elementwise, any shape [N, ...]. Forward caches y; backward uses
/// dx = dy ⊙ (1 − y²), so x itself is not needed.
/// </summary>
public sealed class Tanh : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private bool hasOutput; // forward cache: y lives in `output`

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    public override Tensor Forward(Tensor x)
    {
        output.Resize(x.Shape.ToArray());
        TensorPrimitives.Tanh(x.Span, output.Span);
        hasOutput = true;
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (!hasOutput)
        {
            throw new InvalidOperationException("Tanh.Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"Tanh.Backward: dy must have the output's shape {output.ShapeText}, got {dy.ShapeText}.");
        }
        inputGrad.Resize(output.Shape.ToArray());
        if (NeedsInputGradient)
        {
            var y = output.Span;
            var g = dy.Span;
            var dx = inputGrad.Span;
            // dx = dy − dy ⊙ y ⊙ y, in two vectorised passes over caller-owned memory.
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Multiply(dx, g, dx);
            TensorPrimitives.Subtract(g, dx, dx);
        }
        return inputGrad;
    }
}
