using Obscura.Privacy.Auditing;

namespace Obscura.Training.Reports;

/// <summary>
/// What a private run's ledger says was spent: the mechanism (q, σ, steps, clip norm C), ε at δ by
/// the PLD accountant (and RDP for comparison), ε against steps, and the reconstruction bounds.
/// When the ledger mixes several (q, σ), <see cref="SamplingRate"/> is the largest q and
/// <see cref="NoiseMultiplier"/> the smallest σ (a pessimistic single setting, used only for the
/// reconstruction bound); ε always composes exactly what ran.
/// </summary>
public sealed record PrivacySpent(
    double SamplingRate,
    double NoiseMultiplier,
    long Steps,
    double ClipNorm,
    int DatasetSize,
    double Delta,
    double Epsilon,
    double EpsilonRdp,
    int Settings,
    IReadOnlyList<(long Steps, double Epsilon)> EpsilonCurve,
    IReadOnlyList<ReconstructionBound> Reconstruction)
{
    /// <summary>Expected batch size qN.</summary>
    public double ExpectedBatchSize => SamplingRate * DatasetSize;
}
