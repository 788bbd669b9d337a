namespace Obscura.Privacy;

/// <summary>The smallest noise multiplier found to meet a target, and the ε it verifiably achieves.</summary>
/// <param name="NoiseMultiplier">The noise multiplier σ; ε(σ) ≤ target was re-checked.</param>
/// <param name="Achieved">ε at σ, computed by the accountant that was asked for.</param>
/// <param name="TargetEpsilon">The ε that was asked for.</param>
public sealed record NoiseCalibrationResult(double NoiseMultiplier, EpsilonResult Achieved, double TargetEpsilon);
