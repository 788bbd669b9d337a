using System.Globalization;

namespace Obscura.Privacy;

/// <summary>
/// Checks for the privacy parameters every accountant takes. Each check names the argument it was
/// given (a parameter name, or a command-line option such as <c>--sampling-rate</c>) and the
/// value it got, so the message alone tells the user what to fix.
/// </summary>
/// <remarks>
/// The <c>...Error</c> methods return the message (or <see langword="null"/> when the value is
/// fine) for callers that report errors their own way; the <c>Require...</c> methods throw
/// <see cref="ArgumentOutOfRangeException"/> with that message.
/// </remarks>
public static class PrivacyArgument
{
    /// <summary>Sampling rate q must be finite and in (0, 1].</summary>
    public static string? SamplingRateError(double value, string name) =>
        double.IsFinite(value) && value > 0 && value <= 1 ? null : $"{name} must be in (0, 1], got {Format(value)}";

    /// <summary>Noise multiplier σ must be finite and &gt; 0.</summary>
    public static string? NoiseMultiplierError(double value, string name) =>
        double.IsFinite(value) && value > 0 ? null : $"{name} must be a finite number > 0, got {Format(value)}";

    /// <summary>Delta must be finite and in (0, 1).</summary>
    public static string? DeltaError(double value, string name) =>
        double.IsFinite(value) && value > 0 && value < 1 ? null : $"{name} must be in (0, 1), got {Format(value)}";

    /// <summary>Epsilon must be finite and &gt; 0.</summary>
    public static string? EpsilonError(double value, string name) =>
        double.IsFinite(value) && value > 0 ? null : $"{name} must be a finite number > 0, got {Format(value)}";

    /// <summary>Steps must be at least 1.</summary>
    public static string? StepsError(long value, string name) =>
        value >= 1 ? null : $"{name} must be at least 1, got {value.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Throws unless q ∈ (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">q is outside (0, 1] or not finite.</exception>
    public static void RequireSamplingRate(double value, string name) => Throw(SamplingRateError(value, name), name);

    /// <summary>Throws unless σ &gt; 0 and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ ≤ 0 or not finite.</exception>
    public static void RequireNoiseMultiplier(double value, string name) => Throw(NoiseMultiplierError(value, name), name);

    /// <summary>Throws unless δ ∈ (0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ is outside (0, 1) or not finite.</exception>
    public static void RequireDelta(double value, string name) => Throw(DeltaError(value, name), name);

    /// <summary>Throws unless ε &gt; 0 and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">ε ≤ 0 or not finite.</exception>
    public static void RequireEpsilon(double value, string name) => Throw(EpsilonError(value, name), name);

    /// <summary>Throws unless steps ≥ 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">steps &lt; 1.</exception>
    public static void RequireSteps(long value, string name) => Throw(StepsError(value, name), name);

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Throw(string? message, string name)
    {
        if (message is not null)
        {
            throw new ArgumentOutOfRangeException(name, message);
        }
    }
}
