using Obscura.Tensors;

namespace Obscura.Nn.Layers;

/// <summary>
/// An elementwise activation y = f(x), any shape [N, ...], whose derivative can be written from y
/// alone: forward caches y, backward computes dx from y and dy. Subclasses give the two formulas.
/// </summary>
public abstract class ElementwiseActivation : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private bool hasOutput; // forward cache: y lives in `output`

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    public override Tensor Forward(Tensor x)
    {
        output.Resize(x.Shape.ToArray());
        Apply(x.Span, output.Span);
        hasOutput = true;
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        var name = GetType().Name;
        if (!hasOutput)
        {
            throw new InvalidOperationException($"{name}.Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"{name}.Backward: dy must have the output's shape {output.ShapeText}, got {dy.ShapeText}.");
        }
        inputGrad.Resize(output.Shape.ToArray());
        if (NeedsInputGradient)
        {
            InputGradient(output.Span, dy.Span, inputGrad.Span);
        }
        return inputGrad;
    }

    /// <summary>y = f(x), elementwise.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx = dy ⊙ f′(x), written in terms of y = f(x).</summary>
    protected abstract void InputGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
}
