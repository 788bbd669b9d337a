namespace Obscura.Privacy;

/// <summary>
/// The PLD of one step of the Poisson-subsampled Gaussian (q, σ, sensitivity 1), discretised
/// pessimistically by "connecting the dots" (Doroshenko, Ghazi, Kamath, Kumar, Manurangsi 2022).
/// </summary>
/// <remarks>
/// With x the noisy output, the privacy loss is monotone in x:
///   remove: L(x) = log(1 − q + q·e^{(2x−1)/(2σ²)}), x ∼ P = (1−q)N(0,σ²) + qN(1,σ²), Q = N(0,σ²);
///   add:    L(x) = −log(1 − q + q·e^{(2x−1)/(2σ²)}), x ∼ P = N(0,σ²), Q = the mixture.
/// So the P- and Q-mass of every loss interval (l_k, l_{k+1}] is a difference of normal CDFs at
/// the x where L crosses the grid. Each interval's mass is split between its two end points so
/// that both its P-mass a and its Q-mass b are kept: the upper end gets (a − e^{l_k}b)/(1 − e^{−h}),
/// the lower end the rest. The resulting hockey-stick curve equals the true one at the grid
/// points and lies above it in between (the curve is convex in e^ε), and a pair dominated in
/// this sense stays dominated under composition, so the PLD is an upper bound.
/// Tails beyond ±9 standard deviations of x: the lower one is moved up onto the first grid
/// point; of the upper one, the part Q cannot explain at l_max goes to +∞.
/// </remarks>
internal static class SubsampledGaussianPld
{
    /// <summary>Standard deviations of x covered before the tails are folded in (Φ̄(9) ≈ 1e-19).</summary>
    public const double TailSigmas = 9;

    /// <summary>Privacy losses are kept within ±700 so that e^l stays finite; beyond, mass goes to the ends.</summary>
    public const double MaxAbsLoss = 700;

    public static PrivacyLossDistribution Create(double q, double sigma, NeighbouringRelation relation, double h)
    {
        var (lossLow, lossHigh) = LossRange(q, sigma, relation);
        var kLow = (long)Math.Floor(lossLow / h);
        var kHigh = Math.Max(kLow + 1, (long)Math.Ceiling(lossHigh / h));
        var n = kHigh - kLow + 1;
        FftConvolution.PowerOfTwoAtLeast(n); // refuses absurd grids with a clear message
        var masses = new double[n];
        var expMinusHComplement = -LogMath.ExpM1(-h); // 1 − e^{−h}

        // Below the first grid point: round the loss up onto it.
        var (tailP, _) = IntervalMass(q, sigma, relation, double.NegativeInfinity, kLow * h);
        masses[0] += tailP;

        for (long k = kLow; k < kHigh; k++)
        {
            var lower = k * h;
            var (a, b) = IntervalMass(q, sigma, relation, lower, lower + h);
            if (a <= 0)
            {
                continue;
            }
            var up = (a - Math.Exp(lower) * b) / expMinusHComplement;
            up = Math.Clamp(up, 0, a);
            masses[k - kLow + 1] += up;
            masses[k - kLow] += a - up;
        }

        // Above the last grid point: P-mass e^{l}·b can sit at l_max with Q-mass b; the rest is
        // mass that no finite loss ≤ l_max explains and goes to +∞.
        var (upperP, upperQ) = IntervalMass(q, sigma, relation, kHigh * h, double.PositiveInfinity);
        var atTop = Math.Min(upperP, Math.Exp(kHigh * h) * upperQ);
        masses[n - 1] += atTop;
        var infinity = Math.Max(0, upperP - atTop);
        return new PrivacyLossDistribution(h, kLow, masses, infinity);
    }

    /// <summary>The privacy loss at x (log-space, so large |x|/σ² does not overflow).</summary>
    public static double Loss(double q, double sigma, NeighbouringRelation relation, double x)
    {
        var loss = LogMath.LogAdd(LogMath.Log1P(-q), Math.Log(q) + (2 * x - 1) / (2 * sigma * sigma));
        return relation == NeighbouringRelation.Remove ? loss : -loss;
    }

    /// <summary>Loss values at the x-quantiles ±<see cref="TailSigmas"/>σ, clamped to ±<see cref="MaxAbsLoss"/>.</summary>
    public static (double Low, double High) LossRange(double q, double sigma, NeighbouringRelation relation)
    {
        var left = Loss(q, sigma, relation, -TailSigmas * sigma);
        var right = Loss(q, sigma, relation, 1 + TailSigmas * sigma);
        var low = Math.Min(left, right);
        var high = Math.Max(left, right);
        return (Math.Max(low, -MaxAbsLoss), Math.Min(high, MaxAbsLoss));
    }

    /// <summary>(P-mass, Q-mass) of the event lossLow &lt; L ≤ lossHigh.</summary>
    public static (double P, double Q) IntervalMass(double q, double sigma, NeighbouringRelation relation, double lossLow, double lossHigh)
    {
        if (relation == NeighbouringRelation.Remove)
        {
            // L increasing in x: lossLow < L ≤ lossHigh ⟺ x(lossLow) < x ≤ x(lossHigh).
            var xa = XAtRemoveLoss(q, sigma, lossLow);
            var xb = XAtRemoveLoss(q, sigma, lossHigh);
            var centred = LogMath.NormalMass(xa / sigma, xb / sigma);
            var shifted = LogMath.NormalMass((xa - 1) / sigma, (xb - 1) / sigma);
            return ((1 - q) * centred + q * shifted, centred);
        }
        else
        {
            // L decreasing in x: lossLow < L ≤ lossHigh ⟺ x(lossHigh) ≤ x < x(lossLow).
            var xa = XAtRemoveLoss(q, sigma, -lossLow);
            var xb = XAtRemoveLoss(q, sigma, -lossHigh);
            var centred = LogMath.NormalMass(xb / sigma, xa / sigma);
            var shifted = LogMath.NormalMass((xb - 1) / sigma, (xa - 1) / sigma);
            return (centred, (1 - q) * centred + q * shifted);
        }
    }

    /// <summary>
    /// The x where the remove-relation loss equals l: x = σ²·log((e^l − (1−q))/q) + ½; −∞ when
    /// l ≤ log(1−q) (the loss never gets that low) and +∞ for l = +∞.
    /// </summary>
    private static double XAtRemoveLoss(double q, double sigma, double l)
    {
        if (double.IsPositiveInfinity(l))
        {
            return double.PositiveInfinity;
        }
        if (double.IsNegativeInfinity(l))
        {
            return double.NegativeInfinity;
        }
        // log(e^l − (1 − q)), in the form that keeps its digits.
        var ratio = (1 - q) * Math.Exp(-l);
        double logDifference;
        if (ratio < 0.5)
        {
            logDifference = l + LogMath.Log1P(-ratio);
        }
        else
        {
            var difference = LogMath.ExpM1(l) + q;
            if (difference <= 0)
            {
                return double.NegativeInfinity;
            }
            logDifference = Math.Log(difference);
        }
        return sigma * sigma * (logDifference - Math.Log(q)) + 0.5;
    }
}
