using Obscura.Tensors;

namespace Obscura.Nn;

/// <summary>
/// A layer: <see cref="Forward"/> and <see cref="Backward"/> side by side. Forward caches exactly
/// what Backward needs; Backward returns the input gradient and keeps what parameter gradients need,
/// but does not touch <see cref="Parameter.Grad"/>: layers with parameters implement
/// <see cref="IGradientSource"/>, which turns the kept output gradients into the batch gradient, the
/// clipped sum of per-example gradients, or per-example norms (DESIGN.md §4).
/// Output and input-gradient tensors are owned by the layer and reused across calls (grow-only),
/// so they are valid until the layer's next Forward/Backward.
/// </summary>
public abstract class Layer
{
    /// <summary>Name used as the prefix of parameter names.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// False for the first layer of a model: Backward may then skip computing the input gradient
    /// (and return an unspecified tensor). Set by the container.
    /// </summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>x: [N, ...] → y: [N, ...].</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>dy (same shape as the last output) → dx (same shape as the last input).</summary>
    public abstract Tensor Backward(Tensor dy);

    /// <summary>Shape of one output item for one input item shape (no batch dimension).</summary>
    public abstract int[] OutputShape(ReadOnlySpan<int> inputShape);

    /// <summary>Direct sublayers (containers only).</summary>
    public virtual IEnumerable<Layer> Children => [];

    /// <summary>This layer's own parameters (not those of its children).</summary>
    public virtual IEnumerable<Parameter> OwnParameters => [];

    /// <summary>All parameters of this layer and its descendants, in a fixed order.</summary>
    public IEnumerable<Parameter> AllParameters() =>
        OwnParameters.Concat(Children.SelectMany(c => c.AllParameters()));

    /// <summary>This layer and all its descendants, depth-first.</summary>
    public IEnumerable<Layer> Descendants() =>
        Children.SelectMany(c => c.Descendants()).Prepend(this);

    public override string ToString() => $"{GetType().Name}({Name})";
}
