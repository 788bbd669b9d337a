namespace Obscura.Nn;

/// <summary>
/// How a layer computes per-example gradient norms (DESIGN.md §4): <see cref="Ghost"/> from the
/// Gram matrices of inputs and output gradients, <see cref="Materialise"/> by building each
/// example's gradient, <see cref="Auto"/> by cost (ghost when 2T² &lt; p·d).
/// </summary>
public enum NormMethod
{
    Auto,
    Ghost,
    Materialise,
}
