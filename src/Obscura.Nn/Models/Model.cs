using Obscura.Tensors;

namespace Obscura.Nn.Models;

/// <summary>
/// A classifier: a root layer over inputs of one item shape, producing [N, Classes] logits.
/// Lists its parameters and the layers that produce per-example gradients, once.
/// </summary>
public sealed class Model
{
    public Model(string name, Layer root, int[] inputShape, int classes)
    {
        Name = name;
        Root = root;
        InputShape = inputShape;
        Classes = classes;
        root.NeedsInputGradient = false;
        ModelValidator.Validate(root);
        var output = ShapeAfter(root, inputShape);
        if (output.Length != 1 || output[0] != classes)
        {
            throw new ArgumentException($"Model '{name}': output items are [{string.Join(", ", output)}], expected [{classes}] logits.");
        }
        Parameters = root.AllParameters().ToList();
        GradientSources = root.Descendants().OfType<IGradientSource>().ToList();
    }

    public string Name { get; }
    public Layer Root { get; }
    public int[] InputShape { get; }
    public int Classes { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public IReadOnlyList<IGradientSource> GradientSources { get; }
    public long ParameterCount => Parameters.Sum(p => (long)p.Length);

    public Tensor Forward(Tensor x) => Root.Forward(x);

    public void Backward(Tensor dLogits) => Root.Backward(dLogits);

    public void ZeroGradients()
    {
        foreach (var p in Parameters)
        {
            p.Grad.Clear();
        }
    }

    private static int[] ShapeAfter(Layer layer, int[] inputShape) => layer.OutputShape(inputShape);
}
