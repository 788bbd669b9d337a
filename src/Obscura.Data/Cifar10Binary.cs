namespace Obscura.Data;

/// <summary>
/// CIFAR-10 in its binary version (https://www.cs.toronto.edu/~kriz/cifar.html): files of
/// records of 1 label byte followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each
/// 32×32 row-major, so already [C, H, W]). Training: data_batch_1.bin … data_batch_5.bin;
/// test: test_batch.bin. Gzip-compressed files are accepted too.
/// </summary>
public static class Cifar10Binary
{
    public const int Channels = 3;
    public const int Size = 32;
    public const int ImageBytes = Channels * Size * Size;

    /// <summary>1 label byte + 3072 pixel bytes.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    public const int ClassCount = 10;

    public static IReadOnlyList<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    public const string TestFile = "test_batch.bin";

    /// <summary>Appended to every loading error.</summary>
    public const string InstallHint =
        "Download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and "
        + "pass --data DIR with data_batch_1.bin … data_batch_5.bin and test_batch.bin";

    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>
    /// Per-channel mean and standard deviation of the training pixels in [0, 1] (R, G, B).
    /// The std is over all training pixels (0.2470, 0.2435, 0.2616), not the often-copied
    /// (0.2023, 0.1994, 0.2010), which averages per-image stds.
    /// </summary>
    public static PixelNormalization Normalization { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>The 50,000 training images, [50000, 3, 32, 32].</summary>
    /// <param name="directory">Holds data_batch_1.bin … data_batch_5.bin, directly or in cifar-10-batches-bin/.</param>
    /// <param name="normalization">Null keeps pixels in [0, 1]; pass <see cref="Normalization"/> to standardise.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static ImageDataset LoadTrain(string directory, PixelNormalization? normalization = null)
    {
        directory = Resolve(directory);
        return ReadFiles([.. TrainFiles.Select(f => Path.Combine(directory, f))], "cifar10/train", normalization);
    }

    /// <summary>The 10,000 test images, [10000, 3, 32, 32]; see <see cref="LoadTrain"/>.</summary>
    public static ImageDataset LoadTest(string directory, PixelNormalization? normalization = null) =>
        ReadFiles([Path.Combine(Resolve(directory), TestFile)], "cifar10/test", normalization);

    // The archive unpacks into cifar-10-batches-bin/; accept its parent too.
    private static string Resolve(string directory)
    {
        var nested = Path.Combine(directory, "cifar-10-batches-bin");
        return !File.Exists(Path.Combine(directory, TestFile)) && Directory.Exists(nested) ? nested : directory;
    }

    /// <summary>Reads and concatenates record files, in the order given.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is empty, its length is not a multiple of <see cref="RecordBytes"/>, a label is
    /// above 9, or its gzip stream is corrupt. The message names the file.
    /// </exception>
    public static ImageDataset ReadFiles(IReadOnlyList<string> paths, string name, PixelNormalization? normalization = null)
    {
        var contents = new byte[paths.Count][];
        long records = 0;
        for (var f = 0; f < paths.Count; f++)
        {
            var bytes = DataFile.ReadAll(paths[f], InstallHint);
            if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
            {
                throw DataFile.Invalid(paths[f], $"length {bytes.Length} bytes is not a positive multiple of {RecordBytes} (1 label byte + {ImageBytes} pixel bytes per record); "
                    + $"{bytes.Length / RecordBytes} whole records and {bytes.Length % RecordBytes} bytes left over", InstallHint);
            }
            contents[f] = bytes;
            records += bytes.Length / RecordBytes;
        }
        if (records * ImageBytes > Array.MaxLength)
        {
            throw new InvalidDataException($"{name}: {records} records do not fit in one array.");
        }

        var pixels = GC.AllocateUninitializedArray<float>((int)(records * ImageBytes));
        var labels = new int[records];
        var channels = (normalization ?? PixelNormalization.Unit).PerChannel(Channels);
        var n = 0;
        for (var f = 0; f < paths.Count; f++)
        {
            var bytes = contents[f];
            for (var r = 0; r < bytes.Length / RecordBytes; r++, n++)
            {
                var record = bytes.AsSpan(r * RecordBytes, RecordBytes);
                if (record[0] >= ClassCount)
                {
                    throw DataFile.Invalid(paths[f], $"label {record[0]} of record {r} is outside 0..{ClassCount - 1}", InstallHint);
                }
                labels[n] = record[0];
                PixelNormalization.Convert(record[1..], pixels.AsSpan(n * ImageBytes, ImageBytes), channels, Size * Size);
            }
        }
        return new ImageDataset(name, pixels, labels, Channels, Size, Size, ClassCount, ClassNames);
    }
}
