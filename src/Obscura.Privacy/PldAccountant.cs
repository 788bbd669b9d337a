namespace Obscura.Privacy;

/// <summary>
/// Privacy loss distribution accountant: builds a pessimistic discrete PLD of the event for
/// both neighbouring relations, composes by FFT, and reads ε(δ) and δ(ε) from the
/// hockey-stick divergence, taking the worse relation. Every figure is an upper bound on the
/// true one (up to floating-point rounding, far below the reported digits). Handles
/// <see cref="PoissonSampledGaussianEvent"/>, <see cref="GaussianEvent"/>,
/// <see cref="SelfComposedEvent"/> and <see cref="ComposedEvent"/>.
/// </summary>
public sealed class PldAccountant : IPrivacyAccountant
{
    /// <summary>Bins the composed distribution may use before the grid step is widened.</summary>
    public const int MaxBins = 1 << 21;

    /// <summary>
    /// Bins one step's distribution may use before the grid step is widened. Matters when the
    /// loss is nearly constant with a long thin tail (small q and small σ), where the spread
    /// rule alone would ask for millions of bins to resolve a spread that does not matter.
    /// </summary>
    public const int MaxStepBins = 1 << 16;

    /// <summary>
    /// Grid steps per standard deviation of one step's privacy loss when the step is chosen
    /// automatically. Connect-the-dots widens each step's loss variance by at most h²/4, so the
    /// relative error in ε shrinks like (1/StepsPerSpread)²; at 60 it measured ≤ 4e-5 relative
    /// against the analytic Gaussian (see docs/accounting.md).
    /// </summary>
    public const double StepsPerSpread = 60;

    /// <summary>Creates an accountant.</summary>
    /// <param name="valueDiscretizationInterval">
    /// The grid step h of the privacy loss. Null (the default) chooses it from the mechanism:
    /// one step's loss standard deviation divided by <see cref="StepsPerSpread"/>. A given value
    /// is used as is (dp_accounting's default is 1e-4). Either way h is widened when one step's
    /// grid or the composed distribution would need more than <see cref="MaxBins"/> bins;
    /// <see cref="LastDiscretizationInterval"/> reports the step used. Any h gives an upper bound.
    /// </param>
    /// <param name="tailMassTruncation">Mass that composition may cut per tail (charged to +∞).</param>
    /// <exception cref="ArgumentOutOfRangeException">h is not a positive finite number, or τ ∉ [0, 1e-6].</exception>
    public PldAccountant(double? valueDiscretizationInterval = null, double tailMassTruncation = 1e-15)
    {
        if (valueDiscretizationInterval is { } h && (!double.IsFinite(h) || h <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(valueDiscretizationInterval),
                $"value discretisation interval must be a finite number > 0, got {PrivacyArgument.Format(h)}");
        }
        if (!double.IsFinite(tailMassTruncation) || tailMassTruncation < 0 || tailMassTruncation > 1e-6)
        {
            throw new ArgumentOutOfRangeException(nameof(tailMassTruncation),
                $"tail mass truncation must be in [0, 1e-6], got {PrivacyArgument.Format(tailMassTruncation)}");
        }
        ValueDiscretizationInterval = valueDiscretizationInterval;
        TailMassTruncation = tailMassTruncation;
    }

    /// <inheritdoc />
    public string Name => "pld";

    /// <summary>The grid step requested; null when it is chosen automatically.</summary>
    public double? ValueDiscretizationInterval { get; }

    /// <summary>Mass cut per tail in each composition.</summary>
    public double TailMassTruncation { get; }

    /// <summary>
    /// The grid step used by the most recent computation (see the constructor). The only
    /// mutable state: use one accountant per thread if this value matters.
    /// </summary>
    public double LastDiscretizationInterval { get; private set; }

    /// <inheritdoc />
    public EpsilonResult GetEpsilon(DpEvent dpEvent, double delta)
    {
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        var epsilon = 0.0;
        foreach (var relation in new[] { NeighbouringRelation.Remove, NeighbouringRelation.Add })
        {
            epsilon = Math.Max(epsilon, BuildPld(dpEvent, relation).EpsilonForDelta(delta));
        }
        return double.IsPositiveInfinity(epsilon)
            ? new EpsilonResult(epsilon, delta, Name, Note: "mass at +∞ (losses beyond ±700, the PLD's range, or truncated tails) is ≥ δ; no finite ε can be certified by PLD at this δ")
            : new EpsilonResult(epsilon, delta, Name);
    }

    /// <inheritdoc />
    public DeltaResult GetDelta(DpEvent dpEvent, double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be a finite number ≥ 0, got {PrivacyArgument.Format(epsilon)}");
        }
        var delta = 0.0;
        foreach (var relation in new[] { NeighbouringRelation.Remove, NeighbouringRelation.Add })
        {
            delta = Math.Max(delta, BuildPld(dpEvent, relation).DeltaForEpsilon(epsilon));
        }
        return new DeltaResult(delta, epsilon, Name);
    }

    /// <summary>The composed, pessimistically discretised PLD of the event for one relation.</summary>
    /// <exception cref="NotSupportedException">The event contains a kind the PLD accountant cannot handle.</exception>
    public PrivacyLossDistribution BuildPld(DpEvent dpEvent, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(dpEvent);
        var leaves = new List<(double Q, double Sigma, double Count)>();
        CollectLeaves(dpEvent, 1, leaves);
        var h = ChooseInterval(leaves, relation);
        // The width estimate can be short for heavy-tailed losses (small q with small σ); then
        // widen h by the shortfall and try again. Any h gives an upper bound, only a looser one.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                LastDiscretizationInterval = h;
                return Build(dpEvent, relation, h);
            }
            catch (GridTooLargeException e) when (attempt < 4)
            {
                h *= 1.25 * e.RequiredBins / MaxBins;
            }
        }
    }

    private PrivacyLossDistribution Build(DpEvent dpEvent, NeighbouringRelation relation, double h) => dpEvent switch
    {
        PoissonSampledGaussianEvent e => SubsampledGaussianPld.Create(e.SamplingRate, e.NoiseMultiplier, relation, h),
        GaussianEvent e => SubsampledGaussianPld.Create(1, e.NoiseMultiplier, relation, h),
        SelfComposedEvent e => Build(e.Event, relation, h).SelfCompose(e.Count, TailMassTruncation),
        ComposedEvent e => e.Events.Skip(1).Aggregate(
            Build(e.Events[0], relation, h),
            (pld, part) => pld.Compose(Build(part, relation, h), TailMassTruncation)),
        _ => throw Unsupported(dpEvent),
    };

    private static NotSupportedException Unsupported(DpEvent dpEvent) => new(
        $"the PLD accountant cannot account {dpEvent.Describe()} ({dpEvent.GetType().Name}); it handles Poisson-sampled and plain Gaussian events and their compositions");

    private static void CollectLeaves(DpEvent dpEvent, double count, List<(double, double, double)> leaves)
    {
        switch (dpEvent)
        {
            case PoissonSampledGaussianEvent e:
                leaves.Add((e.SamplingRate, e.NoiseMultiplier, count));
                break;
            case GaussianEvent e:
                leaves.Add((1, e.NoiseMultiplier, count));
                break;
            case SelfComposedEvent e:
                CollectLeaves(e.Event, count * e.Count, leaves);
                break;
            case ComposedEvent e:
                foreach (var part in e.Events)
                {
                    CollectLeaves(part, count, leaves);
                }
                break;
            default:
                throw Unsupported(dpEvent);
        }
    }

    // Fine enough that the discretisation is small against each step's spread of losses (unless
    // the caller fixed h), coarse enough that one step's grid and the composed window fit in MaxBins.
    private double ChooseInterval(List<(double Q, double Sigma, double Count)> leaves, NeighbouringRelation relation)
    {
        var fine = double.PositiveInfinity;
        double composedWidth = 0, widestStep = 0;
        foreach (var (q, sigma, count) in leaves)
        {
            var (low, high) = SubsampledGaussianPld.LossRange(q, sigma, relation);
            var spread = LossSpread(q, sigma, relation);
            fine = Math.Min(fine, spread / StepsPerSpread);
            widestStep = Math.Max(widestStep, high - low);
            composedWidth += Math.Min(count * (high - low), 20 * Math.Sqrt(count) * spread + (high - low));
        }
        var coarsest = Math.Max(widestStep / MaxStepBins, composedWidth / MaxBins);
        var h = Math.Max(ValueDiscretizationInterval ?? fine, coarsest);
        // A loss so concentrated that its spread underflows: any positive step is an upper bound.
        return h > 1e-12 && double.IsFinite(h) ? h : Math.Max(1e-12, ValueDiscretizationInterval ?? 1e-4);
    }

    // Standard deviation of one step's privacy loss under P, by the trapezoid rule in x.
    private static double LossSpread(double q, double sigma, NeighbouringRelation relation)
    {
        const int points = 4000;
        var centre = relation == NeighbouringRelation.Remove ? q : 0;
        var lo = centre - 12 * sigma;
        var dx = 24 * sigma / points;
        double mass = 0, first = 0, second = 0;
        for (var i = 0; i <= points; i++)
        {
            var x = lo + i * dx;
            var density = relation == NeighbouringRelation.Remove
                ? (1 - q) * NormalDensity(x / sigma) + q * NormalDensity((x - 1) / sigma)
                : NormalDensity(x / sigma);
            var loss = SubsampledGaussianPld.Loss(q, sigma, relation, x);
            mass += density;
            first += density * loss;
            second += density * loss * loss;
        }
        var mean = first / mass;
        return Math.Sqrt(Math.Max(0, second / mass - mean * mean));
    }

    private static double NormalDensity(double z) => Math.Exp(-0.5 * z * z);
}
