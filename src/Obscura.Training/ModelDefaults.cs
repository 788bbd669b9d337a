namespace Obscura.Training;

/// <summary>
/// Per-model defaults that work well, for private and non-private training; every flag overrides
/// its field. Sources: tanh-cnn private settings follow Papernot et al. 2021 ("Tempered sigmoid
/// activations", Fashion-MNIST: batch 2048, clip 0.1, SGD momentum 0.9, 40 epochs), adjusted on a
/// validation split for Poisson sampling and PLD accounting; wrn-16-4 follows De et al. 2022.
/// </summary>
public sealed record ModelDefaults(
    int BatchSize,
    double Epochs,
    OptimizerConfig Optimizer,
    double ClipNorm,
    int Augmult,
    double EmaDecay,
    int PhysicalBatch)
{
    public static ModelDefaults For(string model, bool isPrivate) => (model, isPrivate) switch
    {
        ("tanh-cnn", true) => new(2048, 40, new OptimizerConfig("sgd", 4.0, 0.9, 0, false), 0.1, 1, 0, 1024),
        ("tanh-cnn", false) => new(256, 15, new OptimizerConfig("sgd", 0.05, 0.9, 0, true), 0, 1, 0, 256),
        ("wrn-16-4", true) => new(4096, 20, new OptimizerConfig("sgd", 4.0, 0, 0, false), 1.0, 4, 0.999, 64),
        ("wrn-16-4", false) => new(128, 15, new OptimizerConfig("sgd", 0.1, 0.9, 5e-4, true), 0, 1, 0, 64),
        _ => throw new ArgumentException($"No defaults for model '{model}'."),
    };
}
