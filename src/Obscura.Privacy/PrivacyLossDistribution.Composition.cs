namespace Obscura.Privacy;

public sealed partial class PrivacyLossDistribution
{
    /// <summary>
    /// The PLD of running this mechanism and then <paramref name="other"/>: the convolution of
    /// the two, by FFT. Tails of mass at most <paramref name="tailMassTruncation"/> each are cut:
    /// the upper tail is added to the mass at infinity and the lower tail is moved up onto the
    /// lowest kept grid point, so the result still dominates.
    /// </summary>
    /// <exception cref="ArgumentException">The two grids have different steps.</exception>
    public PrivacyLossDistribution Compose(PrivacyLossDistribution other, double tailMassTruncation = 1e-15)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ValueDiscretizationInterval != ValueDiscretizationInterval)
        {
            throw new ArgumentException(
                $"cannot compose PLDs with grid steps {PrivacyArgument.Format(ValueDiscretizationInterval)} and {PrivacyArgument.Format(other.ValueDiscretizationInterval)}",
                nameof(other));
        }
        var masses = FftConvolution.Linear(_masses, other._masses);
        var (first, last, upperCut) = TruncateTails(masses, tailMassTruncation);
        var infinity = 1 - (1 - InfinityMass) * (1 - other.InfinityMass) + upperCut;
        return new PrivacyLossDistribution(ValueDiscretizationInterval, checked(OffsetIndex + other.OffsetIndex + first), masses[first..(last + 1)], Math.Min(1, infinity));
    }

    /// <summary>
    /// The PLD of running this mechanism <paramref name="count"/> times: the count-th power of
    /// its Fourier transform, evaluated on a window chosen by the Chernoff bound
    /// P(S ≥ u) ≤ e^{−λu}·M(λ)^count (M the moment generating function of the grid index) so
    /// that at most <paramref name="tailMassTruncation"/> lies outside it on each side. Both
    /// bounds are added to the mass at infinity, which keeps the result an upper bound although
    /// the discarded mass wraps around the FFT circle.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">The window needs more bins than the FFT limit.</exception>
    public PrivacyLossDistribution SelfCompose(long count, double tailMassTruncation = 1e-15)
    {
        PrivacyArgument.RequireSteps(count, nameof(count));
        if (count == 1)
        {
            return this;
        }
        var (lower, upper) = ChernoffWindow(_masses, count, tailMassTruncation);
        var width = upper - lower + 1;
        FftConvolution.PowerOfTwoAtLeast(width); // throws with a clear message if too wide
        var masses = FftConvolution.SelfConvolveWindow(_masses, count, lower, (int)width);
        var finiteSurvival = Math.Exp(count * LogMath.Log1P(-InfinityMass));
        var infinity = 1 - finiteSurvival + 2 * tailMassTruncation;
        // checked: an offset beyond ±9.2e18 grid steps must fail loudly, not wrap around.
        return new PrivacyLossDistribution(ValueDiscretizationInterval, checked(count * OffsetIndex + lower), masses, Math.Min(1, infinity));
    }

    /// <summary>Grid-index window [lower, upper] of the count-fold sum holding all but τ on each side.</summary>
    internal static (long Lower, long Upper) ChernoffWindow(double[] masses, long count, double tau)
    {
        var n = masses.Length;
        long lower = 0;
        var upper = count * (n - 1);
        if (tau <= 0 || n == 1)
        {
            return (lower, upper);
        }

        double total = 0, mean = 0;
        for (var i = 0; i < n; i++)
        {
            total += masses[i];
            mean += i * masses[i];
        }
        mean /= total;
        double variance = 0;
        for (var i = 0; i < n; i++)
        {
            variance += masses[i] * (i - mean) * (i - mean);
        }
        var spread = Math.Sqrt(variance / total);
        if (!(spread > 0))
        {
            return (lower, upper);
        }

        // For a sum of count terms with spread s the best λ is near √(2 log(1/τ)/count)/s when
        // the terms are close to Gaussian; heavy tails (small q with small σ) want a much smaller
        // λ. Try a geometric fan from 1/(count·n) up to 16 times that centre: any λ gives a valid
        // bound, the fan only makes it tight.
        var logInverseTau = Math.Log(1 / tau);
        var center = Math.Sqrt(2 * logInverseTau / count) / spread;
        var smallest = Math.Min(center, 1.0 / ((double)count * n));
        var upperBound = double.PositiveInfinity;
        var lowerBound = double.NegativeInfinity;
        for (var lambda = center * 16; lambda >= smallest; lambda /= 2)
        {
            upperBound = Math.Min(upperBound, (count * LogMgf(masses, lambda) + logInverseTau) / lambda);
            lowerBound = Math.Max(lowerBound, (count * LogMgf(masses, -lambda) + logInverseTau) / -lambda);
        }
        if (double.IsFinite(upperBound))
        {
            upper = Math.Min(upper, (long)Math.Ceiling(upperBound));
        }
        if (double.IsFinite(lowerBound))
        {
            lower = Math.Max(lower, (long)Math.Floor(lowerBound));
        }
        return (lower, Math.Max(lower, upper));
    }

    // log Σ_i m_i e^{λ i}, shifted by the largest exponent to avoid overflow.
    private static double LogMgf(double[] masses, double lambda)
    {
        var shift = lambda > 0 ? lambda * (masses.Length - 1) : 0;
        double sum = 0;
        for (var i = 0; i < masses.Length; i++)
        {
            if (masses[i] > 0)
            {
                sum += masses[i] * Math.Exp(lambda * i - shift);
            }
        }
        return shift + Math.Log(sum);
    }

    // Finds the kept index range [first, last]; the lower tail is added to masses[first], the
    // upper tail mass is returned for the caller to put at infinity.
    private static (int First, int Last, double UpperCut) TruncateTails(double[] masses, double tau)
    {
        int first = 0, last = masses.Length - 1;
        double lowerCut = 0, upperCut = 0;
        while (first < last && lowerCut + masses[first] <= tau)
        {
            lowerCut += masses[first++];
        }
        while (last > first && upperCut + masses[last] <= tau)
        {
            upperCut += masses[last--];
        }
        masses[first] += lowerCut;
        return (first, last, upperCut);
    }
}
