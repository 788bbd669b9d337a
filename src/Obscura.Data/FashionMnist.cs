namespace Obscura.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 60,000 training and 10,000 test grey-scale
/// 28×28 images of 10 clothing classes, in MNIST's IDX format. Debian installs it with
/// <c>apt-get install dataset-fashion-mnist</c> under <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Mean of the training pixels after scaling to [0, 1].</summary>
    public const float Mean = 0.2860f;

    /// <summary>Standard deviation of the training pixels after scaling to [0, 1].</summary>
    public const float Std = 0.3530f;

    public const int ClassCount = 10;

    public const string TrainImagesFile = "train-images-idx3-ubyte";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Appended to every loading error.</summary>
    public const string InstallHint =
        "Install it with: sudo apt-get install dataset-fashion-mnist, or pass --data DIR with "
        + "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz) "
        + "and t10k-labels-idx1-ubyte(.gz) (from https://github.com/zalandoresearch/fashion-mnist)";

    /// <summary>Class names indexed by label, as in the dataset's README.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>(x − <see cref="Mean"/>) / <see cref="Std"/>, the usual input normalisation.</summary>
    public static PixelNormalization Normalization { get; } = new([Mean], [Std]);

    /// <summary>The 60,000 training images, [60000, 1, 28, 28].</summary>
    /// <param name="directory">Defaults to <see cref="DefaultDirectory"/>.</param>
    /// <param name="normalization">Null keeps pixels in [0, 1]; pass <see cref="Normalization"/> to standardise.</param>
    /// <exception cref="FileNotFoundException">A file is missing (the message says how to install the data).</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static ImageDataset LoadTrain(string? directory = null, PixelNormalization? normalization = null) =>
        Load(directory, TrainImagesFile, TrainLabelsFile, "fashion-mnist/train", normalization);

    /// <summary>The 10,000 test images, [10000, 1, 28, 28]; see <see cref="LoadTrain"/>.</summary>
    public static ImageDataset LoadTest(string? directory = null, PixelNormalization? normalization = null) =>
        Load(directory, TestImagesFile, TestLabelsFile, "fashion-mnist/test", normalization);

    private static ImageDataset Load(string? directory, string imagesFile, string labelsFile, string name, PixelNormalization? normalization)
    {
        directory ??= DefaultDirectory;
        var images = MnistFormat.FindFile(directory, imagesFile, InstallHint);
        var labels = MnistFormat.FindFile(directory, labelsFile, InstallHint);
        return MnistFormat.Load(images, labels, name, ClassCount, normalization, ClassNames, InstallHint);
    }
}
