using Obscura.Data;

namespace Obscura.Training;

/// <summary>
/// The data a run trains and is scored on: Fashion-MNIST from the config's folder, normalised with
/// the training-set statistics. With a validation size, that many training examples are held out
/// (seeded split) and become the evaluation set, so hyperparameters are never chosen on the test set.
/// Models on a fixed front end (ScatterNet) get its features, computed once and cached; they see the
/// pixels in [0, 1], the others pixels standardised with the training mean and std.
/// </summary>
public static class TrainingData
{
    /// <summary>The validation split is the same for every run (and seed) of a given size.</summary>
    public const ulong ValidationSeed = 20211;

    public static (ImageDataset Train, ImageDataset Evaluation) Load(TrainConfig config, Action<string>? log = null)
    {
        var (train, evaluation) = LoadImages(config);
        return (FeatureFrontEnd.Apply(config.Model, train, log), FeatureFrontEnd.Apply(config.Model, evaluation, log));
    }

    /// <summary>The test set only (for evaluating a saved run), through the model's front end.</summary>
    public static ImageDataset LoadTest(string model, string dataDir) =>
        FeatureFrontEnd.Apply(model, FashionMnist.LoadTest(dataDir, NormalizationFor(model)));

    private static PixelNormalization? NormalizationFor(string model) =>
        FeatureFrontEnd.UsesScatter(model) ? null : FashionMnist.Normalization;

    private static (ImageDataset Train, ImageDataset Evaluation) LoadImages(TrainConfig config)
    {
        var normalization = NormalizationFor(config.Model);
        var train = FashionMnist.LoadTrain(config.DataDir, normalization);
        if (config.ValidationSize > 0)
        {
            if (config.ValidationSize >= train.Count)
            {
                throw new ArgumentException($"--validation-size {config.ValidationSize} leaves no training data (N = {train.Count}).");
            }
            return train.Split(config.ValidationSize, ValidationSeed);
        }
        return (train, FashionMnist.LoadTest(config.DataDir, normalization));
    }
}
