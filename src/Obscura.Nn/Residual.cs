using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn;

/// <summary>
/// y = main(x) + shortcut(x), with the shortcut the identity when none is given (or a layer such
/// as a 1×1 conv when main changes the shape, as in WideResNet). Children are named "main" and
/// "shortcut". Backward: dx = main'ᵀ dy + shortcut'ᵀ dy (dy itself for the identity).
/// </summary>
public sealed class Residual : Layer
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);

    public Residual(Layer main, Layer? shortcut = null)
    {
        ChildNaming.Adopt(this, "main", main);
        if (shortcut is not null)
        {
            ChildNaming.Adopt(this, "shortcut", shortcut);
        }
        Main = main;
        Shortcut = shortcut;
    }

    public Layer Main { get; }

    /// <summary>The shortcut layer; null for the identity.</summary>
    public Layer? Shortcut { get; }

    public override IEnumerable<Layer> Children => Shortcut is null ? [Main] : [Main, Shortcut];

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        var main = Main.OutputShape(inputShape);
        var shortcut = Shortcut?.OutputShape(inputShape) ?? inputShape.ToArray();
        if (!main.AsSpan().SequenceEqual(shortcut))
        {
            throw new ArgumentException($"Residual: main gives [{string.Join(", ", main)}] but the shortcut gives [{string.Join(", ", shortcut)}] for input [{string.Join(", ", inputShape.ToArray())}].");
        }
        return main;
    }

    public override Tensor Forward(Tensor x)
    {
        var main = Main.Forward(x);
        var shortcut = Shortcut?.Forward(x) ?? x;
        if (!main.HasShape(shortcut.Shape))
        {
            throw new ArgumentException($"Residual: main gives {main.ShapeText} but the shortcut gives {shortcut.ShapeText} for input {x.ShapeText}.");
        }
        output.Resize(main.Shape.ToArray());
        TensorPrimitives.Add(main.Span, shortcut.Span, output.Span);
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        if (!dy.HasShape(output.Shape))
        {
            throw new ArgumentException($"Residual.Backward: dy must have the output's shape {output.ShapeText}, got {dy.ShapeText}.");
        }
        Main.NeedsInputGradient = NeedsInputGradient;
        var main = Main.Backward(dy);
        var shortcut = dy;
        if (Shortcut is not null)
        {
            Shortcut.NeedsInputGradient = NeedsInputGradient;
            shortcut = Shortcut.Backward(dy);
        }
        if (!NeedsInputGradient)
        {
            return inputGrad;
        }
        inputGrad.Resize(main.Shape.ToArray());
        TensorPrimitives.Add(main.Span, shortcut.Span, inputGrad.Span);
        return inputGrad;
    }
}
