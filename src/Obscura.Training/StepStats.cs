namespace Obscura.Training;

/// <summary>
/// What one logical step saw: examples used, their summed loss, how many were clipped and how
/// many were dropped for non-finite gradients. Derived from private data and not covered by the
/// DP guarantee: for the operator, not for release.
/// </summary>
public struct StepStats
{
    public int Examples { get; private set; }
    public double LossSum { get; private set; }
    public int Clipped { get; private set; }
    public int Dropped { get; private set; }

    public readonly double MeanLoss => Examples == 0 ? double.NaN : LossSum / Examples;

    public void Add(int examples, double lossSum, int clipped, int dropped)
    {
        Examples += examples;
        LossSum += lossSum;
        Clipped += clipped;
        Dropped += dropped;
    }
}
