using Obscura.Data;
using Obscura.Training.Auditing;

namespace Obscura.Training;

/// <summary>
/// A fully resolved training run, saved as config.json in the run folder.
/// <see cref="Privacy"/> is null for a non-private baseline, which is labelled so everywhere.
/// </summary>
/// <param name="BatchSize">Expected (Poisson) batch size for private runs; fixed batch size otherwise.</param>
/// <param name="Augmult">K augmented views per example (1 = no augmentation).</param>
/// <param name="Recipe">The recipe the settings started from (flags may have overridden fields).</param>
/// <param name="EmaDecay">Decay of the weight average used for evaluation; 0 disables it.</param>
/// <param name="Canaries">M canaries for the one-run audit, each trained on with probability 1/2 (0: none); see <see cref="CanarySet"/>.</param>
/// <param name="CanaryKind">What the canaries look like.</param>
/// <param name="InitialWeights">Weights the run starts from (fine-tuning) instead of a random initialisation; null: random.</param>
/// <param name="ImageSize">[height, width] every image of an image folder is resized to; null: as they are.</param>
/// <param name="Standardisation">Per-channel mean and std the pixels are standardised with instead of the data format's defaults (<c>--pixel-mean</c>, <c>--pixel-std</c>); they must not come from the private images. Null: the defaults.</param>
/// <param name="ScatterCompression">c of the log compression of the scattering coefficients the whitened scatter heads train on (<see cref="FeatureFrontEnd.CompressionFor"/>); null for other models, and in runs made before the compression, whose features the front end no longer computes.</param>
/// <param name="PerImageStandardisation">Each image is standardised by its own mean and std before the model sees it (<see cref="Obscura.Data.PerImageStandardisation"/>; <c>--per-image-standardisation</c>): in training, evaluation, canaries and <c>predict</c> alike. Pixel models only. False in runs made before the setting existed.</param>
/// <param name="AverageViews">The final evaluation, the reports and <c>predict</c> average the class probabilities over six views of each image (<see cref="ViewAveraging"/>; <c>--average-views</c>); the accuracy curve during training scores single views. Pixel models only. False in runs made before the setting existed.</param>
/// <param name="Frozen">Layers (names or dotted prefixes, see <c>Model.Freeze</c>) kept at their initial weights: not clipped, noised or updated.</param>
public sealed record TrainConfig(
    string Model,
    string DataDir,
    int BatchSize,
    double Epochs,
    PrivacyConfig? Privacy,
    PerformanceConfig Performance,
    OptimizerConfig Optimizer,
    int Augmult = 1,
    bool Flip = true,
    int CropPadding = 2,
    double EmaDecay = 0,
    int Seed = 0,
    int ValidationSize = 0,
    string Recipe = "",
    int Canaries = 0,
    CanaryKind CanaryKind = CanaryKind.Mislabelled,
    InitialWeights? InitialWeights = null,
    string[]? Frozen = null,
    int[]? ImageSize = null,
    PixelNormalization? Standardisation = null,
    double? ScatterCompression = null,
    bool PerImageStandardisation = false,
    bool AverageViews = false)
{
    public bool IsPrivate => Privacy is not null;
}
