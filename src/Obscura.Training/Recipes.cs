namespace Obscura.Training;

/// <summary>
/// The recipes Obscura ships. Private values were chosen on a validation split of 5,000 examples
/// carved from the Fashion-MNIST training set (<c>--validation-size 5000</c>), never on the test
/// set; BENCHMARKS.md has the runs. `best` is the default of <c>obscura train</c>.
/// </summary>
public static class Recipes
{
    public static readonly string[] Names = ["best", "tanh-cnn", "scatter-linear", "scatter-whitened-linear", "scatter-multiscale-linear", "scatter-cnn", "wrn-16-4"];

    /// <summary>
    /// The recipe called <paramref name="name"/> (a model name selects that model's recipe) for a
    /// private run aiming at <paramref name="targetEpsilon"/> (null: σ given instead, or non-private).
    /// </summary>
    public static Recipe For(string name, bool isPrivate, double? targetEpsilon = null) => (name, isPrivate) switch
    {
        ("best", _) => For("scatter-multiscale-linear", isPrivate, targetEpsilon) with { Name = "best" },
        ("tanh-cnn", true) => new("tanh-cnn", "tanh-cnn", 4096, 120, new OptimizerConfig("sgd", 4.0, 0.9, 0, false), 0.1, 1, 0.99, 1024,
            "Papernot et al. 2021 (tempered sigmoids), Fashion-MNIST: batch 2048, clip 0.1, SGD lr 4 momentum 0.9; σ from PLD with Poisson sampling; " +
            "plus an EMA of the weights (0.99) and 60 epochs instead of 40, both chosen at ε = 3 on the 5,000-example validation split " +
            "(40 epochs: 86.82% without EMA, 87.14% with; 60: 87.64% on its first run, 86.97% ± 0.42 over six; 80: 86.34%; batch 4096 lr 8: 86.92%; augmult 2: 84.0%; " +
            "single runs, inside one run's spread except augmult); and each image standardised by its own mean and std, which uses no other image: " +
            "+0.34 point (standard error 0.09) over ten validation runs paired with runs without it on the same seeds for weights, batches and noise; " +
            "and predictions averaged over six views of each image (itself, four one-pixel shifts, its mirror image): +0.27 point (standard error 0.10) on eight validation runs " +
            "(BENCHMARKS.md); both were chosen on Fashion-MNIST, so for images whose class depends on brightness or on left and right, turn them off. " +
            "Then batch 4096 for 120 epochs instead of 2048 for 60: the same 1,758 steps at twice the compute, σ/B 4.9% lower; validation +0.12 point over six runs (standard error 0.23), " +
            "theory about +0.17 (the slope of accuracy against noise between ε = 3 and 8); about 7 minutes of training on 2 cores.",
            PerImageStandardisation: true, AverageViews: true),
        ("tanh-cnn", false) => new("tanh-cnn", "tanh-cnn", 256, 15, new OptimizerConfig("sgd", 0.05, 0.9, 0, true), 0, 1, 0, 256,
            "Plain SGD with momentum and cosine decay, 15 epochs (the non-private baseline of the same CNN)."),
        ("scatter-linear", true) => new("scatter-linear", "scatter-linear", 8192, 60, new OptimizerConfig("sgd", 16.0, 0.9, 0, false), 0.1, 1, 0, 8192,
            "Tramèr and Boneh 2021, ScatterNet + GroupNorm(27) + linear on Fashion-MNIST: batch 8192, clip 0.1, SGD lr 16 momentum 0.9; " +
            "60 epochs instead of 40, chosen at ε = 3 on a 5,000-example validation split (40: 90.38%, 60: 90.54%; lr 8, 24, 32, " +
            "EMA 0.95 and batch 16384 were not better; BENCHMARKS.md)."),
        ("scatter-linear", false) => new("scatter-linear", "scatter-linear", 256, 15, new OptimizerConfig("sgd", 0.05, 0.9, 0, true), 0, 1, 0, 256,
            "Plain SGD with momentum and cosine decay, 15 epochs."),
        ("scatter-whitened-linear", true) => WhitenedLinear(targetEpsilon),
        ("scatter-multiscale-linear", true) => WhitenedLinear(targetEpsilon) with
        {
            Name = "scatter-multiscale-linear",
            Model = "scatter-multiscale-linear",
            Source = "scatter-whitened-linear's recipe (the same batch size by target ε, lr 4, 60 epochs, clip 0.1) on the J = 2 and J = 1 scatterings " +
                "side by side, each log-compressed and GroupNorm'd, whitened together by a fixed map from synthetic images (no privacy cost); " +
                "the multi-scale features were chosen on the 5,000-example validation split (BENCHMARKS.md).",
        },
        ("scatter-multiscale-linear", false) => For("scatter-whitened-linear", false) with
        {
            Name = "scatter-multiscale-linear",
            Model = "scatter-multiscale-linear",
            Source = "scatter-whitened-linear's non-private recipe: plain SGD with momentum and cosine decay, 15 epochs, lr 0.01.",
        },
        ("scatter-whitened-linear", false) => new("scatter-whitened-linear", "scatter-whitened-linear", 256, 15, new OptimizerConfig("sgd", 0.01, 0.9, 0, true), 0, 1, 0, 256,
            "Plain SGD with momentum and cosine decay, 15 epochs; lr 0.01 (validation: 92.18%, against 91.44% at lr 0.05)."),
        ("scatter-cnn", true) => new("scatter-cnn", "scatter-cnn", 8192, 60, new OptimizerConfig("sgd", 4.0, 0.9, 0, false), 0.1, 1, 0, 2048,
            "Tramèr and Boneh 2021, ScatterNet + GroupNorm(27) + small tanh CNN: batch 8192, clip 0.1, SGD momentum 0.9, 60 epochs."),
        ("scatter-cnn", false) => new("scatter-cnn", "scatter-cnn", 256, 15, new OptimizerConfig("sgd", 0.05, 0.9, 0, true), 0, 1, 0, 256,
            "Plain SGD with momentum and cosine decay, 15 epochs."),
        ("wrn-16-4", true) => new("wrn-16-4", "wrn-16-4", 4096, 20, new OptimizerConfig("sgd", 4.0, 0, 0, false), 1.0, 4, 0.999, 64,
            "De et al. 2022 (WRN, GroupNorm, weight standardisation, augmentation multiplicity, EMA 0.999, clip 1, lr 4, batch 4096); epochs cut for CPU."),
        ("wrn-16-4", false) => new("wrn-16-4", "wrn-16-4", 128, 15, new OptimizerConfig("sgd", 0.1, 0.9, 5e-4, true), 0, 1, 0, 64,
            "Standard WideResNet SGD: lr 0.1, momentum 0.9, weight decay 5e-4, cosine decay."),
        _ => throw new ArgumentException($"--recipe must be one of {string.Join(", ", Names)}, got '{name}'."),
    };

    /// <summary>
    /// The whitened linear head's private recipe. Its batch size follows the target ε: at small ε
    /// each step's noise (σC/B) is what limits the model and larger batches average it down; at
    /// large ε there is noise to spare and more, smaller steps win (validation split, BENCHMARKS.md).
    /// Without a target ε (σ given instead) the ε = 3 values apply.
    /// </summary>
    private static Recipe WhitenedLinear(double? targetEpsilon)
    {
        var batch = targetEpsilon switch
        {
            < 2 => 16384,
            >= 5 => 4096,
            _ => 8192,
        };
        return new("scatter-whitened-linear", "scatter-whitened-linear", batch, 60, new OptimizerConfig("sgd", 4.0, 0.9, 0, false), 0.1, 1, 0, 8192,
            "scatter-linear's recipe (Tramèr and Boneh 2021, 60 epochs) on features log-compressed, GroupNorm'd and whitened by a fixed map estimated from synthetic images (no privacy cost); " +
            "lr 4 instead of 16, and the batch size by target ε (below 2: 16384; 2 to 5: 8192; 5 and above: 4096), " +
            "chosen at ε = 1, 3 and 8 on the 5,000-example validation split (BENCHMARKS.md).");
    }
}
