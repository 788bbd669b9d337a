using Obscura.Tensors;
using Obscura.Tensors.Kernels;

namespace Obscura.Nn.Layers;

/// <summary>Shape checks shared by the pooling layers, with messages naming the layer and shapes.</summary>
internal static class PoolShapes
{
    public static ConvGeometry Geometry(Layer layer, Tensor x, int kernel, int stride)
    {
        if (x.Rank != 4)
        {
            throw new ArgumentException($"{layer}: input must be [N, C, H, W], got {x.ShapeText}.");
        }
        return Geometry(layer, x.Shape[1..], kernel, stride);
    }

    public static ConvGeometry Geometry(Layer layer, ReadOnlySpan<int> item, int kernel, int stride)
    {
        if (item.Length != 3 || item[1] < kernel || item[2] < kernel)
        {
            throw new ArgumentException($"{layer}: input items must be [C, H, W] with H, W ≥ {kernel}, got [{string.Join(", ", item.ToArray())}].");
        }
        return new ConvGeometry(1, item[1], item[2], kernel, kernel, stride, 0);
    }

    public static void CheckGrad(Layer layer, int planes, Tensor dy, Tensor output)
    {
        if (planes < 0)
        {
            throw new InvalidOperationException($"{layer}: Backward called before Forward.");
        }
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"{layer}: output gradient must be {output.ShapeText}, got {dy.ShapeText}.");
        }
    }
}
