using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// y = max(x, 0), elementwise. Backward passes dy where y &gt; 0 and 0 elsewhere (the subgradient
/// at 0 is taken as 0, as in PyTorch).
/// </summary>
public sealed class Relu : ElementwiseActivation
{
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    protected override void InputGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (var i = 0; i < dx.Length; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
