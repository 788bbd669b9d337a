namespace Obscura.Privacy;

/// <summary>
/// A discrete privacy loss distribution (PLD) of a pair (P, Q): the law of the privacy loss
/// L = log(P(x)/Q(x)) for x ∼ P, held as masses on the grid l_i = (<see cref="OffsetIndex"/> + i)·h
/// with h = <see cref="ValueDiscretizationInterval"/>, plus a mass at +∞ (outcomes Q cannot
/// produce, and tail mass that was truncated and must be charged in full).
/// </summary>
/// <remarks>
/// The hockey-stick divergence is δ(ε) = <see cref="InfinityMass"/> + Σ_{l_i &gt; ε} ω_i (1 − e^{ε − l_i});
/// composition of mechanisms is convolution of their PLDs (Sommer, Meiser, Mohammadi 2019;
/// Koskela et al. 2020). Instances built by <see cref="PldAccountant"/> dominate the true PLD, so
/// every ε and δ read from them is an upper bound (see docs/accounting.md).
/// </remarks>
public sealed partial class PrivacyLossDistribution
{
    private readonly double[] _masses;

    /// <summary>Creates a PLD from grid masses (copied; exact zeros at either end are dropped and the offset moved).</summary>
    /// <exception cref="ArgumentException">Non-finite or negative masses, total above 1, or bad h.</exception>
    public PrivacyLossDistribution(double valueDiscretizationInterval, long offsetIndex, IReadOnlyList<double> masses, double infinityMass)
    {
        if (!double.IsFinite(valueDiscretizationInterval) || valueDiscretizationInterval <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(valueDiscretizationInterval), $"value discretisation interval must be > 0, got {PrivacyArgument.Format(valueDiscretizationInterval)}");
        }
        ArgumentNullException.ThrowIfNull(masses);
        if (masses.Count == 0)
        {
            throw new ArgumentException("a privacy loss distribution needs at least one grid mass", nameof(masses));
        }
        // Exact zeros at either end carry no information but would widen every composition.
        var first = 0;
        var last = masses.Count - 1;
        while (first < last && masses[first] == 0)
        {
            first++;
        }
        while (last > first && masses[last] == 0)
        {
            last--;
        }
        _masses = masses.Skip(first).Take(last - first + 1).ToArray();
        offsetIndex += first;
        double total = 0;
        foreach (var m in _masses)
        {
            if (!double.IsFinite(m) || m < 0)
            {
                throw new ArgumentException($"privacy loss masses must be finite and ≥ 0, got {PrivacyArgument.Format(m)}", nameof(masses));
            }
            total += m;
        }
        if (!double.IsFinite(infinityMass) || infinityMass < 0)
        {
            throw new ArgumentException($"infinity mass must be in [0, 1], got {PrivacyArgument.Format(infinityMass)}", nameof(infinityMass));
        }
        // FFT rounding leaves ~1e-16 per bin (clamped at 0, so it only adds); more is a bug.
        if (total + infinityMass > 1 + 1e-6)
        {
            throw new ArithmeticException($"privacy loss distribution has total mass {PrivacyArgument.Format(total + infinityMass)} > 1");
        }
        ValueDiscretizationInterval = valueDiscretizationInterval;
        OffsetIndex = offsetIndex;
        InfinityMass = Math.Min(1, infinityMass);
    }

    /// <summary>The grid step h of the privacy loss.</summary>
    public double ValueDiscretizationInterval { get; }

    /// <summary>The grid index of the first mass: its loss is OffsetIndex·h.</summary>
    public long OffsetIndex { get; }

    /// <summary>The mass at loss +∞.</summary>
    public double InfinityMass { get; }

    /// <summary>Masses at the grid losses, lowest first.</summary>
    public IReadOnlyList<double> Masses => _masses;

    /// <summary>The privacy loss of grid entry <paramref name="index"/>.</summary>
    public double LossAt(int index) => (OffsetIndex + index) * ValueDiscretizationInterval;

    /// <summary>δ(ε) = InfinityMass + Σ_{l_i &gt; ε} ω_i (1 − e^{ε − l_i}), in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">ε is NaN.</exception>
    public double DeltaForEpsilon(double epsilon)
    {
        if (double.IsNaN(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "epsilon must not be NaN");
        }
        double delta = 0;
        for (var i = _masses.Length - 1; i >= 0; i--)
        {
            var loss = LossAt(i);
            if (loss <= epsilon)
            {
                break;
            }
            delta += _masses[i] * -LogMath.ExpM1(epsilon - loss);
        }
        return Math.Min(1, InfinityMass + delta);
    }

    /// <summary>
    /// The smallest ε ≥ 0 with δ(ε) ≤ <paramref name="delta"/>; +∞ when the mass at infinity
    /// alone already reaches δ. Exact for this discrete PLD: for ε in [l_i, l_{i+1}),
    /// δ(ε) = InfinityMass + A_i − e^{ε − l_i}·B_i with A_i = Σ_{j&gt;i} ω_j and
    /// B_i = Σ_{j&gt;i} ω_j e^{l_i − l_j}, solved for ε. B is kept relative to the current grid
    /// point so that losses in the thousands do not overflow.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">δ ∉ (0, 1).</exception>
    public double EpsilonForDelta(double delta)
    {
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        if (InfinityMass >= delta)
        {
            return double.PositiveInfinity;
        }
        var decay = Math.Exp(-ValueDiscretizationInterval);
        double above = 0;    // A_i
        double relative = 0; // B_i
        for (var i = _masses.Length - 1; i >= 0; i--)
        {
            var loss = LossAt(i);
            if (i < _masses.Length - 1)
            {
                relative = (relative + _masses[i + 1]) * decay;
                above += _masses[i + 1];
            }
            if (InfinityMass + above - relative > delta)
            {
                // δ(l_i) > target ≥ δ(l_{i+1}): the answer is in [l_i, l_{i+1}).
                var epsilon = loss + Math.Log((InfinityMass + above - delta) / relative);
                return Math.Max(0, epsilon);
            }
            if (loss <= 0)
            {
                return 0;
            }
        }
        // δ at the lowest grid point is within target; below it δ only grows, but ε ≥ 0 suffices
        // unless the lowest point is positive, where the answer is that point or lower: solve on
        // the ray below it, δ(ε) = InfinityMass + A − e^{ε − l_0}·B with all masses above.
        var lowest = LossAt(0);
        var total = above + _masses[0];
        var weighted = relative + _masses[0];
        if (InfinityMass + total <= delta)
        {
            return 0;
        }
        return Math.Max(0, lowest + Math.Log((InfinityMass + total - delta) / weighted));
    }
}
