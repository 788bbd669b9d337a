namespace Obscura.Training.Reports;

/// <summary>What <see cref="RunAnalysis.Analyse"/> computes beyond accuracy, and with which seeds.</summary>
/// <param name="Groups">The user's groups of the test examples, or null.</param>
/// <param name="MembershipInference">Run the loss-threshold attack.</param>
/// <param name="MiaCount">Members (and non-members) scored by the attack.</param>
/// <param name="Reconstruction">Estimate the reconstruction bound (private runs only).</param>
/// <param name="ReconstructionSamples">Monte Carlo samples per distribution; null picks about 2·10⁷/steps, clamped to [1000, 20000].</param>
/// <param name="EpsilonPoints">Step counts at which ε is recomputed for the privacy curve (0: no curve).</param>
/// <param name="Seed">Seeds the member sample and the Monte Carlo estimate (they are statistics, not privacy mechanisms).</param>
public sealed record AnalysisOptions(
    GroupAssignment? Groups = null,
    bool MembershipInference = true,
    int MiaCount = Reports.MembershipInference.DefaultCount,
    bool Reconstruction = true,
    int? ReconstructionSamples = null,
    int EpsilonPoints = 20,
    int Seed = 0)
{
    /// <summary>The priors κ for which the reconstruction bound is reported.</summary>
    public static readonly double[] Priors = [0.1, 0.01, 0.001];
}
