namespace Obscura.Data;

/// <summary>
/// Loads a pair of MNIST-format IDX files (images [N, H, W] unsigned bytes, labels [N]) into an
/// <see cref="ImageDataset"/> of shape [N, 1, H, W], pixels scaled to [0, 1] and then normalised.
/// </summary>
public static class MnistFormat
{
    /// <summary>
    /// The path of <paramref name="fileName"/> in <paramref name="directory"/>, preferring the
    /// ".gz" name when both exist.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither name exists; the message names both and carries <paramref name="hint"/>.</exception>
    public static string FindFile(string directory, string fileName, string hint)
    {
        var plain = Path.Combine(directory, fileName);
        var gzip = plain + ".gz";
        if (File.Exists(gzip))
        {
            return gzip;
        }
        if (File.Exists(plain))
        {
            return plain;
        }
        var where = Directory.Exists(directory) ? "" : $" (directory {directory} does not exist)";
        throw new FileNotFoundException($"{gzip}: file not found, nor {plain}{where}. {hint}", gzip);
    }

    /// <summary>Reads and checks an image file and its label file.</summary>
    /// <param name="imagesPath">IDX file of unsigned bytes [N, H, W], plain or gzip.</param>
    /// <param name="labelsPath">IDX file of unsigned bytes [N].</param>
    /// <param name="name">The dataset's name, e.g. "fashion-mnist/train".</param>
    /// <param name="classCount">Labels must be below it.</param>
    /// <param name="classNames">Optional, one per class.</param>
    /// <param name="normalization">Applied after scaling to [0, 1]; null means [0, 1] only.</param>
    /// <param name="hint">How to get the data; appended to every error.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is malformed (see <see cref="IdxReader.Read"/>), has the wrong number of dimensions,
    /// the counts differ, or a label is not below <paramref name="classCount"/>.
    /// </exception>
    public static ImageDataset Load(string imagesPath, string labelsPath, string name, int classCount, PixelNormalization? normalization, IReadOnlyList<string>? classNames, string hint)
    {
        var labelFile = IdxReader.Read(labelsPath, hint);
        if (labelFile.Dimensions.Length != 1)
        {
            throw DataFile.Invalid(labelsPath, $"label file has dimensions {labelFile.DimensionsText}, expected one dimension [N]", hint);
        }
        var imageFile = IdxReader.Read(imagesPath, hint);
        if (imageFile.Dimensions.Length != 3)
        {
            throw DataFile.Invalid(imagesPath, $"image file has dimensions {imageFile.DimensionsText}, expected three [N, height, width]", hint);
        }
        if (labelFile.Count != imageFile.Count)
        {
            throw DataFile.Invalid(labelsPath, $"label file has {labelFile.Count} items but image file {imagesPath} has {imageFile.Count}", hint);
        }

        var labels = new int[labelFile.Count];
        var labelBytes = labelFile.Data;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] >= classCount)
            {
                throw DataFile.Invalid(labelsPath, $"label {labelBytes[i]} of item {i} is outside 0..{classCount - 1}", hint);
            }
            labels[i] = labelBytes[i];
        }

        var height = imageFile.Dimensions[1];
        var width = imageFile.Dimensions[2];
        var pixels = GC.AllocateUninitializedArray<float>(imageFile.Data.Length);
        var channels = (normalization ?? PixelNormalization.Unit).PerChannel(1);
        PixelNormalization.Convert(imageFile.Data, pixels, channels, height * width);
        return new ImageDataset(name, pixels, labels, 1, height, width, classCount, classNames);
    }
}
