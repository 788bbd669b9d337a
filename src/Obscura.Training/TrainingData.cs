using Obscura.Data;
using Obscura.Training.Auditing;

namespace Obscura.Training;

/// <summary>
/// The data a run trains and is scored on, from the config's folder in any format
/// <see cref="DataSource"/> recognises (Fashion-MNIST, CIFAR-10, the user's own image folders),
/// standardised with statistics that depend on no private image. With a validation size, that many training examples are held out
/// (seeded split) and become the evaluation set, so hyperparameters are never chosen on the test set.
/// Models on a fixed front end (ScatterNet) get its features, computed once and cached; they see the
/// pixels in [0, 1], the others standardised pixels: with the run's <c>--pixel-mean</c> and
/// <c>--pixel-std</c> when given, else the dataset's published statistics or, for the user's own
/// images, fixed values; then, when the run asks for it, each image by its own mean and std.
/// A run with canaries (<see cref="LoadForRun"/>) gets them drawn from the training part, after
/// any validation split, so no canary is ever evaluated on.
/// </summary>
public static class TrainingData
{
    /// <summary>The validation split is the same for every run (and seed) of a given size.</summary>
    public const ulong ValidationSeed = 20211;

    /// <summary>The real training examples (never a canary) and the evaluation set, through the model's front end.</summary>
    public static (ImageDataset Train, ImageDataset Evaluation) Load(TrainConfig config, Action<string>? log = null)
    {
        var (train, evaluation) = LoadImages(config);
        return (FeatureFrontEnd.Apply(config, train, log), FeatureFrontEnd.Apply(config, evaluation, log));
    }

    /// <summary>
    /// Everything a run trains on, canaries included: <paramref name="recorded"/> (the run's
    /// canaries.json, when resuming or auditing) or, when null, a fresh draw from the config's seed.
    /// </summary>
    /// <exception cref="InvalidDataException">The recorded canaries do not fit the config or the data.</exception>
    public static TrainingSet LoadForRun(TrainConfig config, CanarySet? recorded, Action<string>? log = null)
    {
        var (train, evaluation) = LoadImages(config);
        return Assemble(config, train, evaluation, recorded, log);
    }

    /// <summary>
    /// <see cref="LoadForRun"/> on images already in memory (pixel space, before the front end):
    /// draws or checks the canaries against <paramref name="train"/>, then applies the front end to
    /// the real images (cached) and to the canaries (not cached).
    /// </summary>
    public static TrainingSet Assemble(TrainConfig config, ImageDataset train, ImageDataset evaluation, CanarySet? recorded, Action<string>? log = null)
    {
        if (config.Canaries < 0)
        {
            throw new ArgumentException($"--canaries must be at least 0, got {config.Canaries}.");
        }
        var real = FeatureFrontEnd.Apply(config, train, log);
        var eval = FeatureFrontEnd.Apply(config, evaluation, log);
        if (config.Canaries == 0)
        {
            if (recorded is not null)
            {
                throw new InvalidDataException($"The run records {recorded.Count} canaries, but its config has none.");
            }
            return new TrainingSet(real, train, eval, null, null);
        }
        var set = recorded ?? CanarySet.Draw(config.Canaries, config.CanaryKind, config.Seed, train);
        set.Check(train, config.Canaries, config.CanaryKind, recorded is null ? "the drawn canaries" : "canaries.json");
        var canaries = FeatureFrontEnd.Apply(config, set.Images(train), log, cache: false);
        return new TrainingSet(real, train, eval, set, canaries);
    }

    /// <summary>The test set only (for evaluating a saved run), through the model's front end.</summary>
    public static ImageDataset LoadTest(TrainConfig config)
    {
        var source = SourceOf(config);
        return FeatureFrontEnd.Apply(config, source.LoadTest(NormalizationFor(config, source.Format)));
    }

    /// <summary>The config's data folder, recognised, with its resizing.</summary>
    public static DataSource SourceOf(TrainConfig config) =>
        DataSource.Recognise(config.DataDir) with { ImageSize = config.ImageSize is [var height, var width] ? (height, width) : null };

    /// <summary>
    /// How pixels are scaled for <paramref name="config"/>'s model on data of <paramref name="format"/>:
    /// [0, 1] only (null) for the ScatterNet front end; otherwise standardised with the statistics the
    /// run was given, else the format's own.
    /// </summary>
    public static PixelNormalization? NormalizationFor(TrainConfig config, DataFormat format) =>
        FeatureFrontEnd.UsesScatter(config.Model) ? null : config.Standardisation ?? DataSource.StandardisationOf(format);

    private static (ImageDataset Train, ImageDataset Evaluation) LoadImages(TrainConfig config)
    {
        var source = SourceOf(config);
        var normalization = NormalizationFor(config, source.Format);
        var train = source.LoadTrain(normalization);
        if (config.ValidationSize > 0)
        {
            if (config.ValidationSize >= train.Count)
            {
                throw new ArgumentException($"--validation-size {config.ValidationSize} leaves no training data (N = {train.Count}).");
            }
            return train.Split(config.ValidationSize, ValidationSeed);
        }
        var test = source.LoadTest(normalization);
        if (!test.ItemShape.SequenceEqual(train.ItemShape) || test.ClassCount != train.ClassCount)
        {
            throw new InvalidDataException($"{source.TestLocation}: the test images are {string.Join("×", test.ItemShape)} in {test.ClassCount} classes, "
                + $"but the training images are {string.Join("×", train.ItemShape)} in {train.ClassCount}; both must match.");
        }
        return (train, test);
    }
}
