namespace Obscura.Training;

/// <summary>Accuracy of a model on a labelled set, overall and per class, with the confusion matrix.</summary>
public sealed record Evaluation(double Accuracy, double[] PerClassAccuracy, long[,] Confusion, double MeanLoss)
{
    public int Count { get; init; }
}
