using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>y = tanh(x), elementwise; backward uses dx = dy ⊙ (1 − y²), so x itself is not needed.</summary>
public sealed class Tanh : ElementwiseActivation
{
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    // dx = dy − dy ⊙ y ⊙ y, in three vectorised passes.
    protected override void InputGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        TensorPrimitives.Multiply(y, y, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
        TensorPrimitives.Subtract(dy, dx, dx);
    }
}
