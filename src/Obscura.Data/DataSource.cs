namespace Obscura.Data;

/// <summary>
/// A data folder and its format, recognised by what it holds: a train/ subfolder makes it an
/// <see cref="ImageFolder"/>, x_train.npy a <see cref="NumpyFolder"/>, CIFAR-10's data_batch_1.bin (directly or in cifar-10-batches-bin/)
/// makes it CIFAR-10, and anything else is read as Fashion-MNIST (whose loader explains how to
/// install the data when the files are missing).
/// </summary>
public sealed record DataSource(string Directory, DataFormat Format)
{
    /// <summary>Size every image of an image folder is resized to; null keeps them as they are (all of one size).</summary>
    public (int Height, int Width)? ImageSize { get; init; }

    public static DataSource Recognise(string directory)
    {
        if (ImageFolder.IsImageFolder(directory))
        {
            return new(directory, DataFormat.ImageFolder);
        }
        if (NumpyFolder.IsNumpyFolder(directory))
        {
            return new(directory, DataFormat.Numpy);
        }
        var cifar = Cifar10Binary.TrainFiles[0];
        if (File.Exists(Path.Combine(directory, cifar)) || File.Exists(Path.Combine(directory, "cifar-10-batches-bin", cifar)))
        {
            return new(directory, DataFormat.Cifar10);
        }
        return new(directory, DataFormat.FashionMnist);
    }

    /// <summary>
    /// The standardisation models on pixels use: the dataset's published statistics, or for the
    /// user's own images fixed values that depend on no image (<see cref="ImageFolder.Normalization"/>).
    /// </summary>
    public static PixelNormalization StandardisationOf(DataFormat format) => format switch
    {
        DataFormat.FashionMnist => FashionMnist.Normalization,
        DataFormat.Cifar10 => Cifar10Binary.Normalization,
        _ => ImageFolder.Normalization,
    };

    /// <summary>Where the test images are, for messages.</summary>
    public string TestLocation => Path.Combine(Directory, Format switch
    {
        DataFormat.FashionMnist => FashionMnist.TestImagesFile,
        DataFormat.Cifar10 => Cifar10Binary.TestFile,
        DataFormat.Numpy => NumpyFolder.TestImagesFile,
        _ => ImageFolder.TestFolder,
    });

    public ImageDataset LoadTrain(PixelNormalization? normalization) => Load(test: false, normalization);

    public ImageDataset LoadTest(PixelNormalization? normalization) => Load(test: true, normalization);

    private ImageDataset Load(bool test, PixelNormalization? normalization)
    {
        if (ImageSize is not null && Format != DataFormat.ImageFolder)
        {
            throw new ArgumentException($"--image-size applies to folders of your own images; {Directory} holds {Format} images, which have one fixed size.");
        }
        if (Format == DataFormat.FashionMnist && !FashionMnistFilesIn(Directory))
        {
            throw new FileNotFoundException(NothingRecognised());
        }
        return (Format, test) switch
        {
            (DataFormat.FashionMnist, false) => FashionMnist.LoadTrain(Directory, normalization),
            (DataFormat.FashionMnist, true) => FashionMnist.LoadTest(Directory, normalization),
            (DataFormat.Cifar10, false) => Cifar10Binary.LoadTrain(Directory, normalization),
            (DataFormat.Cifar10, true) => Cifar10Binary.LoadTest(Directory, normalization),
            (DataFormat.Numpy, false) => NumpyFolder.LoadTrain(Directory, normalization),
            (DataFormat.Numpy, true) => NumpyFolder.LoadTest(Directory, normalization),
            (_, false) => ImageFolder.LoadTrain(Directory, normalization, ImageSize),
            (_, true) => ImageFolder.LoadTest(Directory, normalization, ImageSize),
        };
    }

    // Fashion-MNIST is the fallback format: a folder without any of its files holds none of the formats.
    private static bool FashionMnistFilesIn(string directory) =>
        System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFiles(directory).Any(f => Path.GetFileName(f).StartsWith("train-images-idx3-ubyte", StringComparison.Ordinal));

    private string NothingRecognised()
    {
        var classFolders = System.IO.Directory.Exists(Directory)
            && System.IO.Directory.EnumerateDirectories(Directory).Any(d => System.IO.Directory.EnumerateFiles(d).Any(ImageFile.HasImageExtension));
        var hint = classFolders
            ? $" It holds folders of images: if they are the classes, put them under {Path.Combine(Directory, ImageFolder.TrainFolder)}/ (and test images under {ImageFolder.TestFolder}/), or point --data at the folder above that has train/ and test/."
            : "";
        var what = System.IO.Directory.Exists(Directory) ? "holds no data Obscura recognises" : "does not exist";
        return $"{Directory}: {what}. --data takes your own images as train/CLASS/*.png|jpg and test/CLASS/*, NumPy arrays (x_train.npy, y_train.npy, x_test.npy, y_test.npy), "
            + $"CIFAR-10's binary batches (data_batch_1.bin …), or Fashion-MNIST's IDX files (sudo apt-get install dataset-fashion-mnist puts them in {FashionMnist.DefaultDirectory}).{hint}";
    }
}
