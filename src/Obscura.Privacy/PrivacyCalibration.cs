namespace Obscura.Privacy;

/// <summary>
/// Finds the smallest noise multiplier, or the largest number of steps, for which a DP-SGD run
/// (Poisson sampling rate q) meets a target (ε, δ). Both searches bracket the answer and then
/// bisect; the value returned has been checked to meet the target with the requested accountant
/// (PLD by default), never interpolated.
/// </summary>
public static class PrivacyCalibration
{
    /// <summary>
    /// The search on σ stops when the bracket is this narrow (relative) or when the upper end's ε
    /// is within this fraction below the target.
    /// </summary>
    public const double NoiseTolerance = 1e-4;

    /// <summary>Noise multipliers searched: [MinNoiseMultiplier, MaxNoiseMultiplier].</summary>
    public const double MinNoiseMultiplier = 0.01;

    /// <inheritdoc cref="MinNoiseMultiplier"/>
    public const double MaxNoiseMultiplier = 1e5;

    /// <summary>The largest number of steps <see cref="MaxSteps"/> searches.</summary>
    public const long StepsCap = 1_000_000_000;

    /// <summary>Creates the accountant of that kind (PLD with automatic grid; RDP with the given conversion).</summary>
    public static IPrivacyAccountant CreateAccountant(AccountantKind kind, RdpConversion conversion = RdpConversion.Improved) =>
        kind == AccountantKind.Rdp ? new RdpAccountant(conversion) : new PldAccountant();

    /// <summary>The smallest σ with ε(σ) ≤ <paramref name="epsilon"/> at <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    /// <exception cref="ArgumentException">
    /// The target cannot be met by any σ ≤ <see cref="MaxNoiseMultiplier"/>, or is met by every
    /// σ down to <see cref="MinNoiseMultiplier"/> (then no smallest σ exists in range).
    /// </exception>
    public static NoiseCalibrationResult CalibrateNoiseMultiplier(
        double epsilon, double delta, double samplingRate, long steps,
        AccountantKind accountant = AccountantKind.Pld, RdpConversion conversion = RdpConversion.Improved)
    {
        PrivacyArgument.RequireEpsilon(epsilon, nameof(epsilon));
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        PrivacyArgument.RequireSamplingRate(samplingRate, nameof(samplingRate));
        PrivacyArgument.RequireSteps(steps, nameof(steps));
        var account = CreateAccountant(accountant, conversion);
        EpsilonResult At(double sigma) => account.GetEpsilon(DpEvent.PoissonSampledGaussian(samplingRate, sigma, steps), delta);

        // Bracket: high meets the target, low does not. RDP bounds PLD from above, so for PLD the
        // cheap RDP answer is a valid starting point for high.
        var start = accountant == AccountantKind.Pld
            ? CalibrateNoiseMultiplier(epsilon, delta, samplingRate, steps, AccountantKind.Rdp).NoiseMultiplier
            : 1.0;
        double low, high;
        EpsilonResult highResult;
        var startResult = At(start);
        if (startResult.Epsilon <= epsilon)
        {
            (high, highResult) = (start, startResult);
            while (true)
            {
                low = high / 2;
                if (low < MinNoiseMultiplier)
                {
                    throw new ArgumentException(
                        $"every noise multiplier down to {MinNoiseMultiplier} meets epsilon {PrivacyArgument.Format(epsilon)} at delta {PrivacyArgument.Format(delta)} (sampling rate {PrivacyArgument.Format(samplingRate)}, " +
                        $"{steps} steps), so this target asks for almost no noise: "
                        + (delta >= samplingRate ? "delta is at least the sampling rate, a guarantee that allows leaking a sampled example outright; lower delta." : "choose a smaller epsilon or give the noise multiplier directly."));
                }
                var result = At(low);
                if (result.Epsilon > epsilon)
                {
                    break;
                }
                (high, highResult) = (low, result);
            }
        }
        else
        {
            (low, high) = (start, start * 2);
            while ((highResult = At(high)).Epsilon > epsilon)
            {
                if (high >= MaxNoiseMultiplier)
                {
                    throw new ArgumentException(
                        $"epsilon {PrivacyArgument.Format(epsilon)} at delta {PrivacyArgument.Format(delta)} is out of reach: even noise multiplier {MaxNoiseMultiplier} gives epsilon {PrivacyArgument.Format(highResult.Epsilon)} (sampling rate {PrivacyArgument.Format(samplingRate)}, {steps} steps)");
                }
                (low, high) = (high, Math.Min(MaxNoiseMultiplier, high * 2));
            }
        }

        // Illinois (regula falsi that halves the weight of a stale end) on log ε against log σ,
        // where the curve is nearly straight; bisection in log σ when an end is infinite. The
        // bracket invariant ε(low) > target ≥ ε(high) holds throughout.
        var logTarget = Math.Log(epsilon);
        var lowResult = At(low);
        double fLow = Math.Log(lowResult.Epsilon) - logTarget, fHigh = Math.Log(highResult.Epsilon) - logTarget;
        var side = 0;
        while (high - low > NoiseTolerance * high && highResult.Epsilon < epsilon * (1 - NoiseTolerance))
        {
            double logMiddle;
            if (double.IsFinite(fLow) && double.IsFinite(fHigh) && fLow != fHigh)
            {
                logMiddle = (Math.Log(low) * fHigh - Math.Log(high) * fLow) / (fHigh - fLow);
                var margin = 0.01 * (Math.Log(high) - Math.Log(low));
                logMiddle = Math.Clamp(logMiddle, Math.Log(low) + margin, Math.Log(high) - margin);
            }
            else
            {
                logMiddle = 0.5 * (Math.Log(low) + Math.Log(high));
            }
            var middle = Math.Exp(logMiddle);
            var result = At(middle);
            var f = Math.Log(result.Epsilon) - logTarget;
            if (result.Epsilon <= epsilon)
            {
                (high, highResult, fHigh) = (middle, result, f);
                if (side == 1)
                {
                    fLow /= 2;
                }
                side = 1;
            }
            else
            {
                (low, fLow) = (middle, f);
                if (side == -1)
                {
                    fHigh /= 2;
                }
                side = -1;
            }
        }

        var verified = At(high);
        if (!(verified.Epsilon <= epsilon))
        {
            throw new InvalidOperationException(
                $"calibration failed its re-check: noise multiplier {PrivacyArgument.Format(high)} gives epsilon {PrivacyArgument.Format(verified.Epsilon)} > target {PrivacyArgument.Format(epsilon)}");
        }
        return new NoiseCalibrationResult(high, verified, epsilon);
    }

    /// <summary>The largest T with ε(T) ≤ <paramref name="epsilon"/> at <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    /// <exception cref="ArgumentException">Even one step exceeds the target.</exception>
    public static StepsCalibrationResult MaxSteps(
        double epsilon, double delta, double samplingRate, double noiseMultiplier,
        AccountantKind accountant = AccountantKind.Pld, RdpConversion conversion = RdpConversion.Improved)
    {
        PrivacyArgument.RequireEpsilon(epsilon, nameof(epsilon));
        PrivacyArgument.RequireDelta(delta, nameof(delta));
        PrivacyArgument.RequireSamplingRate(samplingRate, nameof(samplingRate));
        PrivacyArgument.RequireNoiseMultiplier(noiseMultiplier, nameof(noiseMultiplier));
        var account = CreateAccountant(accountant, conversion);
        EpsilonResult At(long steps) => account.GetEpsilon(DpEvent.PoissonSampledGaussian(samplingRate, noiseMultiplier, steps), delta);

        var lowResult = At(1);
        if (lowResult.Epsilon > epsilon)
        {
            throw new ArgumentException(
                $"epsilon {PrivacyArgument.Format(epsilon)} at delta {PrivacyArgument.Format(delta)} is out of reach: one step already gives epsilon {PrivacyArgument.Format(lowResult.Epsilon)} (sampling rate {PrivacyArgument.Format(samplingRate)}, noise multiplier {PrivacyArgument.Format(noiseMultiplier)})");
        }
        long low = 1, high = 2;
        while (true)
        {
            var result = At(high);
            if (result.Epsilon > epsilon)
            {
                break;
            }
            (low, lowResult) = (high, result);
            if (high >= StepsCap)
            {
                return new StepsCalibrationResult(low, lowResult, epsilon, $"stopped at the cap of {StepsCap} steps");
            }
            high = Math.Min(StepsCap, high * 2);
        }
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            var result = At(middle);
            if (result.Epsilon <= epsilon)
            {
                (low, lowResult) = (middle, result);
            }
            else
            {
                high = middle;
            }
        }
        var verified = At(low);
        if (!(verified.Epsilon <= epsilon))
        {
            throw new InvalidOperationException($"step search failed its re-check: {low} steps give epsilon {PrivacyArgument.Format(verified.Epsilon)} > target {PrivacyArgument.Format(epsilon)}");
        }
        return new StepsCalibrationResult(low, verified, epsilon);
    }
}
