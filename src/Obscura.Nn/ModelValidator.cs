namespace Obscura.Nn;

/// <summary>
/// Checks a model before training: no layer mixes examples (<see cref="IMixesExamples"/>), every
/// layer with parameters reports per-example gradients (<see cref="IGradientSource"/>), no layer
/// instance appears twice, and parameter names are unique (they are the checkpoint keys).
/// </summary>
public static class ModelValidator
{
    /// <summary>
    /// Throws <see cref="NotSupportedException"/> naming the first offending layer by its dotted
    /// path, or <see cref="ArgumentException"/> for a repeated layer or parameter name.
    /// </summary>
    public static void Validate(Layer model)
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (var (path, layer) in WithPaths(model))
        {
            if (layer is IMixesExamples)
            {
                throw new NotSupportedException(
                    $"Layer '{path}' ({layer.GetType().Name}) mixes examples within a batch (as BatchNorm does), so per-example gradients " +
                    "and the DP-SGD guarantee would not hold. Use GroupNorm, which normalises each example on its own.");
            }
            if (layer.OwnParameters.Any() && layer is not IGradientSource)
            {
                throw new NotSupportedException(
                    $"Layer '{path}' ({layer.GetType().Name}) has parameters but is not an IGradientSource, so its per-example " +
                    "gradients could not be clipped.");
            }
            if (!seen.Add(layer))
            {
                throw new ArgumentException($"Layer '{path}' ({layer.GetType().Name}) appears more than once in the model; each use needs its own instance.");
            }
        }
        var duplicate = model.AllParameters().GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Parameter name '{duplicate.Key}' is used by {duplicate.Count()} parameters; names must be unique (they are the checkpoint keys).");
        }
    }

    /// <summary>Every layer with its dotted path from the root ("(model)" for an unnamed root).</summary>
    public static IEnumerable<(string Path, Layer Layer)> WithPaths(Layer model)
    {
        var root = string.IsNullOrEmpty(model.Name) ? "(model)" : model.Name;
        return Walk(root, "", model);
    }

    private static IEnumerable<(string Path, Layer Layer)> Walk(string display, string prefix, Layer layer)
    {
        yield return (display, layer);
        foreach (var child in layer.Children)
        {
            var path = prefix.Length == 0 ? child.Name : prefix + "." + child.Name;
            foreach (var entry in Walk(path, path, child))
            {
                yield return entry;
            }
        }
    }
}
