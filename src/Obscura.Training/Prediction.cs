namespace Obscura.Training;

/// <summary>One image's class probabilities, in class order.</summary>
public sealed record Prediction(string Source, float[] Probabilities)
{
    /// <summary>The most probable class.</summary>
    public int Class => Array.IndexOf(Probabilities, Probabilities.Max());
}
