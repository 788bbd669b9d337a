using System.Runtime.CompilerServices;

namespace Obscura.Nn;

/// <summary>
/// How containers name their children: the child's <see cref="Layer.Name"/> becomes its local
/// name, and every parameter below it gets that name as a dotted prefix ("0.weight", then
/// "block1.0.weight" when the container is itself adopted). Containers are built inside out, so
/// prefixing at adoption time composes into full names. A layer can be adopted once: a layer that
/// appeared twice in a model would have its forward cache overwritten by its second use.
/// </summary>
internal static class ChildNaming
{
    private static readonly ConditionalWeakTable<Layer, Layer> ParentOf = new();

    public static void Adopt(Layer parent, string name, Layer child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
        {
            throw new ArgumentException($"{parent.GetType().Name}: child name '{name}' must be non-empty and contain no '.'.");
        }
        if (!ParentOf.TryAdd(child, parent))
        {
            ParentOf.TryGetValue(child, out var owner);
            throw new ArgumentException($"{parent.GetType().Name}: layer {child} is already a child of {owner}; a layer can appear only once in a model (its forward cache would be overwritten).");
        }
        child.Name = name;
        foreach (var p in child.AllParameters())
        {
            p.Name = name + "." + p.Name;
        }
    }
}
