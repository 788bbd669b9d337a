using Obscura.Nn;
using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.ConvBench;

/// <summary>tanh or ReLU, minimal, for timing only.</summary>
internal sealed class Activation(bool tanh) : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);

    public override Tensor Forward(Tensor x)
    {
        output.Resize(x.Shape.ToArray());
        if (tanh)
        {
            TensorPrimitives.Tanh(x.Span, output.Span);
        }
        else
        {
            TensorPrimitives.Max(x.Span, 0f, output.Span);
        }
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        inputGrad.Resize(dy.Shape.ToArray());
        var y = output.Span;
        var d = dy.Span;
        var dx = inputGrad.Span;
        if (tanh)
        {
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Subtract(1f, dx, dx);
            TensorPrimitives.Multiply(dx, d, dx);
        }
        else
        {
            for (var i = 0; i < dx.Length; i++)
            {
                dx[i] = y[i] > 0 ? d[i] : 0;
            }
        }
        return inputGrad;
    }

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
}

/// <summary>[N, C, H, W] → [N, C·H·W] as a view.</summary>
internal sealed class Flatten : Layer
{
    private int[] shape = [];

    public override Tensor Forward(Tensor x)
    {
        shape = x.Shape.ToArray();
        return x.Reshape(x.Dim(0), x.ItemLength);
    }

    public override Tensor Backward(Tensor dy) => dy.Reshape(shape);

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [inputShape[0] * inputShape[1] * inputShape[2]];
}
