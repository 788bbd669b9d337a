using Obscura.Data;

namespace Obscura.Training;

/// <summary>
/// The data a run trains and is scored on: Fashion-MNIST from the config's folder, normalised with
/// the training-set statistics. With a validation size, that many training examples are held out
/// (seeded split) and become the evaluation set, so hyperparameters are never chosen on the test set.
/// </summary>
public static class TrainingData
{
    public static (ImageDataset Train, ImageDataset Evaluation) Load(TrainConfig config)
    {
        var train = FashionMnist.LoadTrain(config.DataDir, FashionMnist.Normalization);
        if (config.ValidationSize > 0)
        {
            if (config.ValidationSize >= train.Count)
            {
                throw new ArgumentException($"--validation-size {config.ValidationSize} leaves no training data (N = {train.Count}).");
            }
            return train.Split(config.ValidationSize, (ulong)config.Seed);
        }
        return (train, FashionMnist.LoadTest(config.DataDir, FashionMnist.Normalization));
    }

    /// <summary>The test set only (for evaluating a saved run).</summary>
    public static ImageDataset LoadTest(string dataDir) => FashionMnist.LoadTest(dataDir, FashionMnist.Normalization);
}
