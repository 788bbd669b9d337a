namespace Obscura.Training.Reports;

/// <summary>Accuracy within one group (a class or a user-defined group): Correct / Count.</summary>
public sealed record GroupAccuracy(string Name, int Count, int Correct)
{
    /// <summary>Correct / Count; NaN for an empty group.</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;
}
