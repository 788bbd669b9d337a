namespace Obscura.Privacy.Auditing;

/// <summary>
/// A Monte Carlo upper bound on the success probability of any reconstruction attack.
/// </summary>
/// <param name="Prior">κ: the success probability of the best guess without seeing the model.</param>
/// <param name="SuccessProbability">The estimated bound on the attack's success probability.</param>
/// <param name="StandardError">Binomial standard error of the estimate, given the estimated threshold.</param>
/// <param name="Samples">Monte Carlo samples drawn from each of the two distributions.</param>
public readonly record struct ReconstructionBound(double Prior, double SuccessProbability, double StandardError, int Samples);
