using MathNet.Numerics;

namespace Obscura.Privacy.Auditing;

/// <summary>
/// The one-run audit of Steinke, Nasr and Jagielski 2023 ("Privacy Auditing with One (1)
/// Training Run", NeurIPS 2023, arXiv:2305.08846). m canaries are each included in the training
/// set independently with probability 1/2; after training, the auditor guesses "in" or "out" for
/// r of them (abstaining on the rest) and v guesses are right.
/// </summary>
/// <remarks>
/// <para>Their result, in our words: if training is (ε, δ)-DP, then the number of correct
/// guesses is stochastically no larger than r coins of bias p = e^ε/(1 + e^ε), up to a term for
/// δ. Precisely, P[V ≥ v] ≤ P[Binomial(r, p) ≥ v] + 2mδ·A, where
/// A = max over i = 1..v of P[v − i ≤ Binomial(r, p) &lt; v] / i. <see cref="PValue"/> computes this
/// right-hand side (capped at 1), following their reference implementation.</para>
/// <para>The audit then reports the largest ε at which seeing v correct guesses would still be
/// surprising at level β = 1 − confidence: the ε with p-value(ε) = β, found by bisection since
/// the p-value increases with ε. The bound is a valid lower bound on the true ε with probability
/// ≥ confidence over the canary coin flips.</para>
/// </remarks>
public static class OneRunAudit
{
    /// <summary>
    /// Upper bound on P[at least v correct of r guesses] for an (ε, δ)-DP algorithm with m canaries.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 ≤ v ≤ r ≤ m, ε &lt; 0 or δ outside [0, 1].</exception>
    public static double PValue(int canaries, int guesses, int correct, double epsilon, double delta)
    {
        CheckCounts(canaries, guesses, correct);
        if (!(epsilon >= 0) || double.IsNaN(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "OneRunAudit: epsilon must be >= 0.");
        }
        if (!(delta >= 0 && delta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "OneRunAudit: delta must be in [0, 1].");
        }
        if (correct == 0)
        {
            return 1;
        }
        double logP = -double.LogP1(Math.Exp(-epsilon));       // log(e^ε/(1+e^ε))
        double logQ = -epsilon - double.LogP1(Math.Exp(-epsilon)); // log(1/(1+e^ε))
        // Binomial probabilities by the ratio recurrence in log space (one log per term instead of
        // three log-gammas): pmf(j + 1)/pmf(j) = (r − j)/(j + 1)·p/(1 − p).
        double logOdds = logP - logQ;
        double logAtV = LogBinomialPmf(guesses, correct, logP, logQ);
        double tail = 0; // P[Bin(r, p) ≥ v]
        double logTerm = logAtV;
        for (int j = correct; j <= guesses; j++)
        {
            tail += Math.Exp(logTerm);
            logTerm += Math.Log((double)(guesses - j) / (j + 1)) + logOdds;
        }
        double worst = 0, window = 0; // window = P[v − i ≤ Bin < v]
        if (delta > 0)
        {
            logTerm = logAtV;
            for (int i = 1; i <= correct; i++)
            {
                int j = correct - i; // step from pmf(j + 1) down to pmf(j)
                logTerm += Math.Log((double)(j + 1) / (guesses - j)) - logOdds;
                window += Math.Exp(logTerm);
                worst = Math.Max(worst, window / i);
            }
        }
        return Math.Min(1, tail + 2.0 * canaries * delta * worst);
    }

    /// <summary>
    /// The largest ε (≥ 0) such that v correct guesses out of r still have p-value below
    /// β = 1 − <paramref name="confidence"/> under (ε, δ)-DP: the algorithm is not (ε', δ)-DP for
    /// any ε' below it, with confidence <paramref name="confidence"/>. Returns 0 when even ε = 0
    /// cannot be rejected.
    /// </summary>
    public static double EpsilonLowerBound(int canaries, int guesses, int correct, double delta, double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "OneRunAudit: confidence must be in (0, 1).");
        }
        double beta = 1 - confidence;
        if (PValue(canaries, guesses, correct, 0, delta) >= beta)
        {
            return 0;
        }
        double lo = 0, hi = 1;
        while (PValue(canaries, guesses, correct, hi, delta) < beta)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e3)
            {
                return lo; // p-value stays below β for every reasonable ε; report what was verified
            }
        }
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (PValue(canaries, guesses, correct, mid, delta) < beta)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static double LogBinomialPmf(int n, int k, double logP, double logQ) =>
        SpecialFunctions.BinomialLn(n, k) + k * logP + (n - k) * logQ;

    private static void CheckCounts(int canaries, int guesses, int correct)
    {
        if (!(0 <= correct && correct <= guesses && guesses <= canaries))
        {
            throw new ArgumentOutOfRangeException(nameof(correct), correct,
                $"OneRunAudit: need 0 <= correct <= guesses <= canaries, got correct {correct}, guesses {guesses}, canaries {canaries}.");
        }
    }
}
