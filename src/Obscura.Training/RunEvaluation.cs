using Obscura.Data;
using Obscura.Nn.Models;
using Obscura.Nn.Serialization;

namespace Obscura.Training;

/// <summary>Loads a run's saved weights and evaluates them on its test data.</summary>
public static class RunEvaluation
{
    public sealed record Result(string Model, bool Private, Evaluation Evaluation, IReadOnlyList<string> ClassNames);

    public static Result Evaluate(RunFolder run, string? dataDir)
    {
        var config = run.LoadConfig();
        if (!File.Exists(run.WeightsFile))
        {
            throw new FileNotFoundException($"{run.WeightsFile}: the run has no saved weights yet (is it still training? continue it with obscura train --resume {run.Path}).");
        }
        var test = TrainingData.LoadTest(config.Model, dataDir ?? config.DataDir);
        var model = ModelZoo.Build(config.Model, test.ItemShape, test.ClassCount, new Random(0));
        SafeTensors.LoadParameters(run.WeightsFile, model.Root);
        var evaluation = new Evaluator().Evaluate(model, test);
        return new Result(model.Name, config.IsPrivate, evaluation, FashionMnist.ClassNames);
    }
}
