namespace Obscura.Privacy.Auditing;

/// <summary>
/// ε lower bound from a membership test run many times: a threshold test that says "canary in"
/// or "canary out" on outputs of the mechanism with the canary (positives) and without it
/// (negatives). Any (ε, δ)-DP mechanism forces every test to satisfy
/// FPR + e^ε·FNR ≥ 1 − δ and FNR + e^ε·FPR ≥ 1 − δ (Kairouz, Oh and Viswanath 2015), so
/// ε ≥ max(log((1 − δ − FNR)/FPR), log((1 − δ − FPR)/FNR)). Plugging in Clopper–Pearson upper
/// bounds of both rates, each at level α/2, makes the result a lower bound on the true ε with
/// confidence at least 1 − α (union bound), as in Jagielski, Ullman and Oprea 2020 and
/// Nasr et al. 2021.
/// </summary>
public static class ThresholdAudit
{
    /// <summary>
    /// The ε lower bound, at least 0, that holds with probability ≥ <paramref name="confidence"/>.
    /// </summary>
    /// <param name="falsePositives">Negatives (canary absent) that the test called positive.</param>
    /// <param name="negatives">Number of runs without the canary, ≥ 1.</param>
    /// <param name="falseNegatives">Positives (canary present) that the test called negative.</param>
    /// <param name="positives">Number of runs with the canary, ≥ 1.</param>
    /// <param name="delta">δ of the claim being audited, in [0, 1).</param>
    /// <param name="confidence">1 − α, in (0, 1).</param>
    public static double EpsilonLowerBound(long falsePositives, long negatives, long falseNegatives, long positives,
        double delta, double confidence = 0.95)
    {
        if (!(delta >= 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "ThresholdAudit: delta must be in [0, 1).");
        }
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "ThresholdAudit: confidence must be in (0, 1).");
        }
        double alpha = 1 - confidence;
        double fprUpper = ClopperPearson.UpperBound(falsePositives, negatives, alpha / 2);
        double fnrUpper = ClopperPearson.UpperBound(falseNegatives, positives, alpha / 2);
        return EpsilonFromRates(fprUpper, fnrUpper, delta);
    }

    /// <summary>
    /// max(0, log((1 − δ − FNR)/FPR), log((1 − δ − FPR)/FNR)) for given rates (a point value, no
    /// confidence; feed it upper confidence bounds to get a statistically valid lower bound).
    /// A zero rate facing a positive numerator gives +∞.
    /// </summary>
    public static double EpsilonFromRates(double falsePositiveRate, double falseNegativeRate, double delta)
    {
        double best = 0;
        double a = 1 - delta - falseNegativeRate;
        if (a > 0)
        {
            best = Math.Max(best, Math.Log(a / falsePositiveRate));
        }
        double b = 1 - delta - falsePositiveRate;
        if (b > 0)
        {
            best = Math.Max(best, Math.Log(b / falseNegativeRate));
        }
        return best;
    }
}
