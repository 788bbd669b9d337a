namespace Obscura.Training;

/// <summary>
/// Everything that determines the privacy guarantee, and nothing else. Either
/// <see cref="TargetEpsilon"/> (σ is then calibrated with the PLD accountant) or
/// <see cref="NoiseMultiplier"/> is given. The dataset size N comes from the data; the expected batch size B and the epochs E (which
/// set q = B/N and T = ceil(E·N/B)) come from <see cref="TrainConfig"/>, and <see cref="DpPlan"/>
/// binds all of them together.
/// </summary>
/// <param name="TargetEpsilon">Target ε at <see cref="Delta"/>; null when σ is given.</param>
/// <param name="NoiseMultiplier">σ: noise std is σ·C per coordinate of the clipped sum.</param>
/// <param name="Delta">δ of the (ε, δ) statement; must be below 1/N unless <see cref="AllowLargeDelta"/>.</param>
/// <param name="ClipNorm">C: each example's gradient is scaled to norm at most C.</param>
/// <param name="PerLayerClipping">Clip each layer to C/√L instead of all parameters to C.</param>
/// <param name="AllowLargeDelta">The user insists on δ ≥ 1/N (which permits leaking one example outright).</param>
public sealed record PrivacyConfig(
    double? TargetEpsilon,
    double? NoiseMultiplier,
    double Delta,
    double ClipNorm,
    bool PerLayerClipping = false,
    bool AllowLargeDelta = false);
