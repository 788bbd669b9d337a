namespace Obscura.Nn;

/// <summary>
/// Marks a layer whose output for one example depends on other examples in the batch (BatchNorm
/// in training mode is the usual one). Such a layer breaks per-example gradients, so the DP-SGD
/// guarantee would not hold: <see cref="ModelValidator"/> refuses any model that contains one.
/// The engine has no such layer; the marker exists so imported or user-written ones are caught.
/// </summary>
public interface IMixesExamples
{
}
