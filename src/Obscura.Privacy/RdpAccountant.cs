namespace Obscura.Privacy;

/// <summary>
/// Rényi DP accountant. RDP adds up under composition, so the RDP of T steps at order α is T
/// times the per-step RDP; ε(δ) is the minimum over a grid of orders of the chosen
/// <see cref="RdpConversion"/>. Handles <see cref="PoissonSampledGaussianEvent"/>,
/// <see cref="GaussianEvent"/>, <see cref="SelfComposedEvent"/> and <see cref="ComposedEvent"/>.
/// </summary>
public sealed class RdpAccountant : IPrivacyAccountant
{
    private readonly double[] _orders;

    /// <summary>Creates an accountant over <paramref name="orders"/> (default <see cref="RdpOrders.Default"/>).</summary>
    /// <exception cref="ArgumentException">An order is ≤ 1 or not finite, or the grid is empty.</exception>
    public RdpAccountant(RdpConversion conversion = RdpConversion.Improved, IReadOnlyList<double>? orders = null)
    {
        _orders = (orders ?? RdpOrders.Default).ToArray();
        if (_orders.Length == 0)
        {
            throw new ArgumentException("the grid of Rényi orders is empty", nameof(orders));
        }
        foreach (var order in _orders)
        {
            if (!double.IsFinite(order) || order <= 1)
            {
                throw new ArgumentException($"Rényi orders must be finite and > 1, got {PrivacyArgument.Format(order)}", nameof(orders));
            }
        }
        Conversion = conversion;
    }

    /// <inheritdoc />
    public string Name => "rdp";

    /// <summary>The conversion used by <see cref="GetEpsilon"/> and <see cref="GetDelta"/>.</summary>
    public RdpConversion Conversion { get; }

    /// <summary>The orders α of the grid.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>"improved" or "classic".</summary>
    public static string ConversionName(RdpConversion conversion) =>
        conversion == RdpConversion.Classic ? "classic" : "improved";

    /// <summary>The RDP of the whole event at each order of <see cref="Orders"/>.</summary>
    /// <exception cref="NotSupportedException">The event contains a kind RDP cannot handle.</exception>
    public double[] ComputeRdp(DpEvent dpEvent)
    {
        ArgumentNullException.ThrowIfNull(dpEvent);
        var rdp = new double[_orders.Length];
        Accumulate(dpEvent, 1, rdp);
        return rdp;
    }

    /// <inheritdoc />
    public EpsilonResult GetEpsilon(DpEvent dpEvent, double delta)
    {
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        return EpsilonFromRdp(_orders, ComputeRdp(dpEvent), delta, Conversion);
    }

    /// <inheritdoc />
    public DeltaResult GetDelta(DpEvent dpEvent, double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"epsilon must be a finite number ≥ 0, got {PrivacyArgument.Format(epsilon)}");
        }
        return DeltaFromRdp(_orders, ComputeRdp(dpEvent), epsilon, Conversion);
    }

    /// <summary>
    /// min over α of the conversion of RDP(α) to ε at δ, clamped at 0. Orders whose RDP is +∞
    /// are skipped; if all are, the result is +∞ with a note.
    /// </summary>
    /// <exception cref="ArithmeticException">An RDP value is NaN or negative.</exception>
    public static EpsilonResult EpsilonFromRdp(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta, RdpConversion conversion)
    {
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        CheckCurve(orders, rdp);
        var logDelta = Math.Log(delta);
        var best = double.PositiveInfinity;
        double? bestOrder = null;
        for (var i = 0; i < orders.Count; i++)
        {
            var alpha = orders[i];
            var epsilon = conversion == RdpConversion.Classic
                ? rdp[i] - logDelta / (alpha - 1)
                : rdp[i] + LogMath.Log1P(-1 / alpha) - (logDelta + Math.Log(alpha)) / (alpha - 1);
            if (epsilon < best)
            {
                best = epsilon;
                bestOrder = alpha;
            }
        }
        var name = ConversionName(conversion);
        return double.IsPositiveInfinity(best)
            ? new EpsilonResult(best, delta, "rdp", name, null, "RDP is infinite at every order of the grid")
            : new EpsilonResult(Math.Max(0, best), delta, "rdp", name, bestOrder);
    }

    /// <summary>min over α of the δ that the conversion gives at ε, capped at 1.</summary>
    /// <exception cref="ArithmeticException">An RDP value is NaN or negative.</exception>
    public static DeltaResult DeltaFromRdp(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double epsilon, RdpConversion conversion)
    {
        CheckCurve(orders, rdp);
        var bestLog = 0.0;
        double? bestOrder = null;
        for (var i = 0; i < orders.Count; i++)
        {
            var alpha = orders[i];
            var logDelta = conversion == RdpConversion.Classic
                ? (alpha - 1) * (rdp[i] - epsilon)
                : (alpha - 1) * (rdp[i] - epsilon + LogMath.Log1P(-1 / alpha)) - Math.Log(alpha);
            if (logDelta < bestLog)
            {
                bestLog = logDelta;
                bestOrder = alpha;
            }
        }
        return new DeltaResult(Math.Exp(bestLog), epsilon, "rdp", ConversionName(conversion), bestOrder);
    }

    private static void CheckCurve(IReadOnlyList<double> orders, IReadOnlyList<double> rdp)
    {
        if (orders.Count != rdp.Count)
        {
            throw new ArgumentException($"{orders.Count} orders but {rdp.Count} RDP values", nameof(rdp));
        }
        for (var i = 0; i < rdp.Count; i++)
        {
            if (double.IsNaN(rdp[i]) || rdp[i] < 0)
            {
                throw new ArithmeticException($"RDP at order {PrivacyArgument.Format(orders[i])} is {PrivacyArgument.Format(rdp[i])}; expected a number ≥ 0");
            }
        }
    }

    private void Accumulate(DpEvent dpEvent, double times, double[] rdp)
    {
        switch (dpEvent)
        {
            case PoissonSampledGaussianEvent e:
                for (var i = 0; i < _orders.Length; i++)
                {
                    // Skip exact zeros so that an astronomically large count cannot make ∞·0 = NaN.
                    var perStep = SubsampledGaussianRdp.Compute(e.SamplingRate, e.NoiseMultiplier, _orders[i]);
                    if (perStep > 0)
                    {
                        rdp[i] += times * perStep;
                    }
                }
                break;
            case GaussianEvent e:
                for (var i = 0; i < _orders.Length; i++)
                {
                    rdp[i] += times * _orders[i] / (2 * e.NoiseMultiplier * e.NoiseMultiplier);
                }
                break;
            case SelfComposedEvent e:
                Accumulate(e.Event, times * e.Count, rdp);
                break;
            case ComposedEvent e:
                foreach (var part in e.Events)
                {
                    Accumulate(part, times, rdp);
                }
                break;
            default:
                throw new NotSupportedException(
                    $"the RDP accountant cannot account {dpEvent.Describe()} ({dpEvent.GetType().Name}); it handles Poisson-sampled and plain Gaussian events and their compositions");
        }
    }
}
