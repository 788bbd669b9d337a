namespace Obscura.Training;

/// <summary>Optimizer settings: "sgd" (with momentum, weight decay) or "adam".</summary>
public sealed record OptimizerConfig(
    string Name = "sgd",
    double LearningRate = 0.1,
    double Momentum = 0.9,
    double WeightDecay = 0,
    bool Cosine = false);
