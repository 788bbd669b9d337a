namespace Obscura.Privacy;

/// <summary>The largest number of steps found to meet a target, and the ε it verifiably achieves.</summary>
/// <param name="Steps">The steps T; ε(T) ≤ target was re-checked.</param>
/// <param name="Achieved">ε after T steps.</param>
/// <param name="TargetEpsilon">The ε that was asked for.</param>
/// <param name="Note">Set when the search stopped at its cap rather than at the target.</param>
public sealed record StepsCalibrationResult(long Steps, EpsilonResult Achieved, double TargetEpsilon, string? Note = null);
