using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Training.Reports;

namespace Obscura.Training;

/// <summary>Scores a model's predictions on a dataset (<see cref="Predictions"/>, run in chunks).</summary>
public sealed class Evaluator(int chunkSize = 1000)
{
    /// <param name="averageViews">Score the predictions averaged over six views of each image (<see cref="ViewAveraging"/>).</param>
    public Evaluation Evaluate(Model model, ImageDataset data, bool averageViews = false)
    {
        var classes = model.Classes;
        if (data.Count == 0)
        {
            return new Evaluation(double.NaN, new double[classes], new long[classes, classes], double.NaN);
        }
        var predictions = Predictions.Compute(model, data, chunkSize: chunkSize, averageViews: averageViews);
        var confusion = predictions.Confusion();
        var perClass = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            long total = 0;
            for (var p = 0; p < classes; p++)
            {
                total += confusion[c, p];
            }
            perClass[c] = total == 0 ? double.NaN : (double)confusion[c, c] / total;
        }
        var meanLoss = predictions.Losses.Sum(l => (double)l) / data.Count;
        return new Evaluation(predictions.Accuracy, perClass, confusion, meanLoss) { Count = data.Count };
    }
}
