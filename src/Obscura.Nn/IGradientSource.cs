namespace Obscura.Nn;

/// <summary>
/// A layer with parameters, after Forward and Backward on a chunk of B·K rows, where each example
/// owns K consecutive rows (its augmented views; K = <c>views</c> = 1 without augmentation). The
/// example's gradient g_i is the sum of its rows' contributions (the loss gradient already carries
/// any 1/K). All methods read what the last Backward kept; none of them changes it, so they can be
/// called in any order and more than once.
/// </summary>
public interface IGradientSource
{
    /// <summary>The layer's parameters, in the order used by <see cref="PerExampleGradients"/>.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Adds Σ_i s_i g_i into each parameter's <see cref="Parameter.Grad"/>, with s_i =
    /// <paramref name="exampleScale"/>[i], or s_i = 1 when the span is empty (the ordinary batch
    /// gradient). Costs one GEMM per weight, as a non-private backward does.
    /// </summary>
    void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views);

    /// <summary>
    /// Adds ‖g_i‖² (over all of this layer's parameters) into <paramref name="squaredNorms"/>[i]
    /// for each of the B examples, computed by <paramref name="method"/>.
    /// </summary>
    void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method);

    /// <summary>
    /// Test oracle: writes each example's gradient, parameters flattened in order, into row i of
    /// <paramref name="destination"/> ([B, total parameter count]).
    /// </summary>
    void PerExampleGradients(Span<float> destination, int views);
}
