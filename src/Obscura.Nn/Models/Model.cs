using Obscura.Tensors;

namespace Obscura.Nn.Models;

/// <summary>
/// A classifier: a root layer over inputs of one item shape, producing [N, Classes] logits.
/// Lists its parameters and the layers that produce per-example gradients, once. Layers can be
/// frozen (fine-tuning): training then clips, noises and updates only the trainable ones.
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

    /// <summary>The parameters training updates (all of them unless layers were frozen).</summary>
    public IReadOnlyList<Parameter> TrainableParameters => Parameters.Where(p => p.Trainable).ToList();

    /// <summary>The layers whose per-example gradients are clipped, summed and noised: those not frozen.</summary>
    public IReadOnlyList<IGradientSource> TrainableSources => GradientSources.Where(s => s.Parameters.All(p => p.Trainable)).ToList();

    public long TrainableParameterCount => TrainableParameters.Sum(p => (long)p.Length);

    /// <summary>Names of the layers with parameters (the dotted prefix of their parameters' names), in order.</summary>
    public IReadOnlyList<string> LayerNames => Parametrised.Select(LayerName).ToList();

    private IEnumerable<IGradientSource> Parametrised => GradientSources.Where(s => s.Parameters.Count > 0);

    /// <summary>
    /// Freezes whole layers: each item is a layer name or a dotted prefix of layer names
    /// ("features" freezes "features.conv1" and "features.conv2"), or <see cref="AllButHead"/> for
    /// every layer but the last. Returns the frozen layer names.
    /// </summary>
    /// <exception cref="ArgumentException">An item names no layer, or every layer would be frozen.</exception>
    public IReadOnlyList<string> Freeze(IReadOnlyList<string> items)
    {
        var names = LayerNames;
        var frozen = new List<int>();
        foreach (var item in items)
        {
            if (item == AllButHead && names.Count < 2)
            {
                throw new ArgumentException($"--freeze {AllButHead}: {Name} has a single layer with parameters, its head; there is nothing to freeze.");
            }
            var matches = item == AllButHead
                ? Enumerable.Range(0, names.Count - 1).ToList()
                : Enumerable.Range(0, names.Count).Where(i => names[i] == item || names[i].StartsWith(item + ".", StringComparison.Ordinal)).ToList();
            if (matches.Count == 0)
            {
                throw new ArgumentException($"--freeze {item}: {Name} has no layer of that name; its layers are {string.Join(", ", names)} (or {AllButHead}).");
            }
            frozen.AddRange(matches);
        }
        frozen = frozen.Distinct().Order().ToList();
        if (frozen.Count == names.Count)
        {
            throw new ArgumentException($"--freeze {string.Join(",", items)} freezes every layer of {Name}; nothing would be trained.");
        }
        var layers = Parametrised.ToList();
        foreach (var i in frozen)
        {
            foreach (var p in layers[i].Parameters)
            {
                p.Trainable = false;
            }
        }
        return frozen.Select(i => names[i]).ToList();
    }

    /// <summary>The <see cref="Freeze"/> item for every layer but the last (the classifier head).</summary>
    public const string AllButHead = "all-but-head";

    public Tensor Forward(Tensor x) => Root.Forward(x);

    public void Backward(Tensor dLogits) => Root.Backward(dLogits);

    public void ZeroGradients()
    {
        foreach (var p in Parameters)
        {
            p.Grad.Clear();
        }
    }

    private static string LayerName(IGradientSource source)
    {
        var name = source.Parameters[0].Name;
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[..dot];
    }

    private static int[] ShapeAfter(Layer layer, int[] inputShape) => layer.OutputShape(inputShape);
}
