using Obscura.Tensors;

namespace Obscura.Nn;

/// <summary>
/// Layers applied in order: Forward chains them, Backward runs them in reverse. Children are
/// named by position ("0", "1", …) or by the names given, and their parameters get the name as a
/// dotted prefix ("0.weight", "conv1.weight").
/// <para>
/// When this container's own <see cref="Layer.NeedsInputGradient"/> is false, no gradient has to
/// flow below its first layer with parameters: that layer is told it need not compute its input
/// gradient, and the parameter-free layers before it (e.g. a fixed ScatterNet front end and a
/// non-affine GroupNorm) are not run backward at all. Backward then returns an unspecified tensor.
/// </para>
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] layers;
    private readonly int firstWithParameters; // index of the first layer with parameters; Count if none

    /// <summary>Children named "0", "1", … by position.</summary>
    public Sequential(params Layer[] layers)
        : this(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)))
    {
    }

    /// <summary>Children with the given names (unique, non-empty, no '.').</summary>
    public Sequential(IEnumerable<(string Name, Layer Layer)> namedLayers)
    {
        var list = namedLayers.ToList();
        var duplicate = list.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Sequential: child name '{duplicate.Key}' is used more than once.");
        }
        foreach (var (name, layer) in list)
        {
            ChildNaming.Adopt(this, name, layer);
        }
        layers = list.Select(e => e.Layer).ToArray();
        firstWithParameters = Array.FindIndex(layers, l => l.AllParameters().Any());
        if (firstWithParameters < 0)
        {
            firstWithParameters = layers.Length;
        }
    }

    public IReadOnlyList<Layer> Layers => layers;

    public int Count => layers.Length;

    public Layer this[int index] => layers[index];

    public override IEnumerable<Layer> Children => layers;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        var shape = inputShape.ToArray();
        foreach (var layer in layers)
        {
            shape = layer.OutputShape(shape);
        }
        return shape;
    }

    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }

    public override Tensor Backward(Tensor dy)
    {
        var stop = NeedsInputGradient ? 0 : firstWithParameters;
        for (var k = layers.Length - 1; k >= stop; k--)
        {
            layers[k].NeedsInputGradient = NeedsInputGradient || k > stop;
            dy = layers[k].Backward(dy);
        }
        return dy;
    }
}
