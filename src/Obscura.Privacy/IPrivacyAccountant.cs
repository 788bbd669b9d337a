namespace Obscura.Privacy;

/// <summary>Bounds the privacy of a <see cref="DpEvent"/> as (ε, δ)-DP.</summary>
public interface IPrivacyAccountant
{
    /// <summary>"rdp" or "pld".</summary>
    string Name { get; }

    /// <summary>The smallest ε this accountant can certify at <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ ∉ (0, 1).</exception>
    /// <exception cref="NotSupportedException">The event contains a kind this accountant cannot handle.</exception>
    EpsilonResult GetEpsilon(DpEvent dpEvent, double delta);

    /// <summary>The smallest δ this accountant can certify at <paramref name="epsilon"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">ε &lt; 0 or not finite.</exception>
    /// <exception cref="NotSupportedException">The event contains a kind this accountant cannot handle.</exception>
    DeltaResult GetDelta(DpEvent dpEvent, double epsilon);
}
