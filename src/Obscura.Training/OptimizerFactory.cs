using Obscura.Nn;
using Obscura.Nn.Optimizers;

namespace Obscura.Training;

/// <summary>Builds the optimizer an <see cref="OptimizerConfig"/> names.</summary>
public static class OptimizerFactory
{
    public static IOptimizer Create(OptimizerConfig config, IReadOnlyList<Parameter> parameters) => config.Name switch
    {
        "sgd" => new Sgd(parameters, (float)config.LearningRate, (float)config.Momentum, (float)config.WeightDecay),
        "adam" => new Adam(parameters, (float)config.LearningRate, weightDecay: (float)config.WeightDecay),
        _ => throw new ArgumentException($"--optimizer must be sgd or adam, got '{config.Name}'."),
    };
}
