using Obscura.Tensors;

namespace Obscura.Nn.Layers;

/// <summary>
/// [N, d1, d2, ...] → [N, d1·d2·…], row-major, so no data moves: the output is a view over the
/// input's memory and the input gradient a view over dy's. Views are cached and rebuilt only when
/// the underlying array or shape changes, so steady-state steps allocate nothing.
/// </summary>
public sealed class Flatten : Layer
{
    private int[] inputShape = [];   // forward cache: shape to restore in backward
    private Tensor? outputView;
    private Tensor? inputGradView;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [Tensor.CountOf(inputShape)];

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank < 1)
        {
            throw new ArgumentException($"Flatten: input must be [N, ...], got {x.ShapeText}.");
        }
        inputShape = x.Shape.ToArray();
        var n = x.Dim(0);
        outputView = ViewOf(outputView, x, [n, n == 0 ? 0 : x.Length / n]);
        return outputView;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (outputView is null)
        {
            throw new InvalidOperationException("Flatten.Backward called before Forward.");
        }
        if (!dy.HasShape(outputView.Shape))
        {
            throw new ArgumentException($"Flatten.Backward: dy must have the output's shape {outputView.ShapeText}, got {dy.ShapeText}.");
        }
        inputGradView = ViewOf(inputGradView, dy, inputShape);
        return inputGradView;
    }

    private static Tensor ViewOf(Tensor? cached, Tensor source, int[] shape) =>
        cached is not null && ReferenceEquals(cached.Data, source.Data) && cached.HasShape(shape)
            ? cached
            : Tensor.FromArray(source.Data, shape);
}
