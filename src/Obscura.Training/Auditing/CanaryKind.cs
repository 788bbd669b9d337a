namespace Obscura.Training.Auditing;

/// <summary>What a canary of the one-run audit looks like (<c>--canary-kind</c>).</summary>
public enum CanaryKind
{
    /// <summary>A copy of a random training image with another, random label.</summary>
    Mislabelled,

    /// <summary>An out-of-distribution image: a random block pattern of the data's darkest and brightest values, with a random label.</summary>
    Ood,
}
