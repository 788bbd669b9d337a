namespace Obscura.Nn;

/// <summary>
/// How a layer computes per-example gradient norms (DESIGN.md §4): <see cref="Ghost"/> from the
/// Gram matrices of inputs and output gradients, <see cref="Materialise"/> by building each
/// example's gradient, <see cref="Auto"/> by work (ghost when T·(p + d) &lt; p·d; docs/per-example-norms.md).
/// </summary>
public enum NormMethod
{
    Auto,
    Ghost,
    Materialise,
}
