namespace Obscura.Data;

/// <summary>
/// A dataset saved from NumPy: <c>x_train.npy</c>, <c>y_train.npy</c>, <c>x_test.npy</c> and
/// <c>y_test.npy</c> (the names Keras' loaders return), with uint8 images of shape (N, H, W) or
/// (N, H, W, C), C = 1 or 3 (channels last, as NumPy images are), and integer labels of shape (N,).
/// Class names come from an optional <c>classes.txt</c> (one per line, by label); otherwise the
/// labels are the names and the class count is one more than the largest label.
/// Standardised like image folders, with fixed values (<see cref="ImageFolder.Normalization"/>).
/// </summary>
public static class NumpyFolder
{
    public const string TrainImagesFile = "x_train.npy";
    public const string TrainLabelsFile = "y_train.npy";
    public const string TestImagesFile = "x_test.npy";
    public const string TestLabelsFile = "y_test.npy";
    public const string ClassNamesFile = "classes.txt";

    public static bool IsNumpyFolder(string directory) => File.Exists(Path.Combine(directory, TrainImagesFile));

    public static ImageDataset LoadTrain(string directory, PixelNormalization? normalization = null) =>
        Load(directory, TrainImagesFile, TrainLabelsFile, "train", normalization);

    public static ImageDataset LoadTest(string directory, PixelNormalization? normalization = null) =>
        Load(directory, TestImagesFile, TestLabelsFile, "test", normalization);

    private static ImageDataset Load(string directory, string imagesFile, string labelsFile, string part, PixelNormalization? normalization)
    {
        var imagesPath = Path.Combine(directory, imagesFile);
        var labelsPath = Path.Combine(directory, labelsFile);
        foreach (var file in new[] { imagesPath, labelsPath })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file}: missing; a NumPy data folder needs {TrainImagesFile}, {TrainLabelsFile}, {TestImagesFile} and {TestLabelsFile}.");
            }
        }
        var images = Npy.Read(imagesPath);
        if (images.Type != "u1" || images.Shape.Length is not (3 or 4) || (images.Shape.Length == 4 && images.Shape[3] is not (1 or 3)) || images.Shape[0] == 0)
        {
            throw new InvalidDataException($"{imagesPath}: images of type {images.Type} and shape ({string.Join(", ", images.Shape)}); expected uint8 of shape (N, H, W) or (N, H, W, C) with C = 1 or 3 and N ≥ 1.");
        }
        var (n, h, w) = (images.Shape[0], images.Shape[1], images.Shape[2]);
        var c = images.Shape.Length == 4 ? images.Shape[3] : 1;
        var labels = Npy.Integers(Npy.Read(labelsPath), labelsPath);
        if (labels.Length != n)
        {
            throw new InvalidDataException($"{labelsPath}: {labels.Length} labels for the {n} images of {imagesFile}.");
        }
        var names = ClassNames(directory);
        foreach (var label in labels)
        {
            if (label < 0 || label >= names.Count)
            {
                throw new InvalidDataException($"{labelsPath}: label {label} is outside 0…{names.Count - 1} ({names.Count} classes{(File.Exists(Path.Combine(directory, ClassNamesFile)) ? $", from {ClassNamesFile}" : ", from the largest label")}).");
            }
        }
        var plane = h * w;
        var planar = new byte[images.Data.Length];
        for (var i = 0; i < n; i++)
        {
            for (var p = 0; p < plane; p++)
            {
                for (var k = 0; k < c; k++)
                {
                    planar[(i * c + k) * plane + p] = images.Data[(i * plane + p) * c + k];
                }
            }
        }
        var pixels = (normalization ?? PixelNormalization.Unit).ToFloats(planar, c, plane);
        return new ImageDataset($"npy:{directory}/{part}", pixels, labels.Select(l => (int)l).ToArray(), c, h, w, names.Count, names);
    }

    // classes.txt if present; otherwise "0" … "K−1" with K one more than the largest label in either part.
    private static IReadOnlyList<string> ClassNames(string directory)
    {
        var file = Path.Combine(directory, ClassNamesFile);
        if (File.Exists(file))
        {
            return File.ReadAllLines(file).Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToList();
        }
        var largest = new[] { TrainLabelsFile, TestLabelsFile }
            .Select(f => Path.Combine(directory, f))
            .Where(File.Exists)
            .SelectMany(f => Npy.Integers(Npy.Read(f), f))
            .DefaultIfEmpty(0).Max();
        return Enumerable.Range(0, (int)Math.Clamp(largest + 1, 2, 100_000)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
