namespace Obscura.Data;

/// <summary>
/// The user's own images, one folder per class: <c>DIR/train/CLASS/*.png</c> and
/// <c>DIR/test/CLASS/*.png</c> (PNG or JPEG, <see cref="ImageFile"/>). Classes are the train/ subfolders in ordinal order of their names
/// (label 0 is the first); every test class must be one of them. All images must have the same
/// size unless a size is given, to which each is then resized (<see cref="ImageResize"/>); they are grey (one channel) unless some image has unequal colour planes, in which case
/// all are colour (a grey image's plane is repeated). Files of other types (by name) are skipped.
/// </summary>
public static class ImageFolder
{
    public const string TrainFolder = "train";
    public const string TestFolder = "test";

    /// <summary>
    /// Fixed, data-independent pixel statistics (x − 0.5) / 0.5: statistics measured on private
    /// images would themselves be a release the privacy accountant does not cover.
    /// </summary>
    public static PixelNormalization Normalization { get; } = new([0.5f], [0.5f]);

    /// <summary>True when <paramref name="directory"/> has a train/ subfolder.</summary>
    public static bool IsImageFolder(string directory) => Directory.Exists(Path.Combine(directory, TrainFolder));

    /// <summary>The class names (train/ subfolders, ordinal order).</summary>
    /// <exception cref="FileNotFoundException">train/ has no class subfolders.</exception>
    public static IReadOnlyList<string> Classes(string directory)
    {
        var train = Path.Combine(directory, TrainFolder);
        var classes = Directory.Exists(train)
            ? Directory.GetDirectories(train).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        if (classes.Count < 2)
        {
            throw new FileNotFoundException($"{train}: needs one subfolder of images per class (at least two classes), found {classes.Count}.");
        }
        return classes;
    }

    public static ImageDataset LoadTrain(string directory, PixelNormalization? normalization = null, (int Height, int Width)? size = null) =>
        Load(directory, TrainFolder, normalization, size);

    public static ImageDataset LoadTest(string directory, PixelNormalization? normalization = null, (int Height, int Width)? size = null) =>
        Load(directory, TestFolder, normalization, size);

    private static ImageDataset Load(string directory, string part, PixelNormalization? normalization, (int Height, int Width)? size)
    {
        var classes = Classes(directory);
        var root = Path.Combine(directory, part);
        if (!Directory.Exists(root))
        {
            throw new FileNotFoundException($"{root}: missing; an image folder needs {TrainFolder}/ and {TestFolder}/, each with one subfolder of images per class.");
        }
        var images = new List<(string File, byte[] Pixels, int Channels)>();
        var labels = new List<int>();
        int height = 0, width = 0;
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var label = IndexOf(classes, Path.GetFileName(folder));
            if (label < 0)
            {
                throw new InvalidDataException($"{folder}: class '{Path.GetFileName(folder)}' is not among the training classes ({string.Join(", ", classes)}).");
            }
            foreach (var file in Directory.GetFiles(folder).Where(ImageFile.HasImageExtension).Order(StringComparer.Ordinal))
            {
                var (pixels, channels, h, w) = ImageFile.Read(file);
                if (size is { } s && (h, w) != s)
                {
                    pixels = ImageResize.Resize(pixels, channels, h, w, s.Height, s.Width);
                    (h, w) = s;
                }
                if (images.Count == 0)
                {
                    (height, width) = (h, w);
                }
                else if ((h, w) != (height, width))
                {
                    throw new InvalidDataException($"{file}: {w}×{h} pixels, but {images[0].File} is {width}×{height}; all images must have the same size (or pass --image-size to resize them).");
                }
                images.Add((file, pixels, channels));
                labels.Add(label);
            }
        }
        if (images.Count == 0)
        {
            throw new FileNotFoundException($"{root}: no PNG or JPEG images in its class subfolders.");
        }
        if (part == TrainFolder && Enumerable.Range(0, classes.Count).FirstOrDefault(c => !labels.Contains(c), -1) is var empty and >= 0)
        {
            throw new InvalidDataException($"{Path.Combine(root, classes[empty])}: no PNG or JPEG images; every class needs training examples (remove the folder if the class is not wanted).");
        }
        var plane = height * width;
        var colour = images.Any(i => i.Channels == 3 && !IsGrey(i.Pixels, plane));
        var channelsOut = colour ? 3 : 1;
        var bytes = new byte[(long)images.Count * channelsOut * plane];
        for (var i = 0; i < images.Count; i++)
        {
            for (var c = 0; c < channelsOut; c++)
            {
                var source = images[i].Channels == 1 ? 0 : c;
                images[i].Pixels.AsSpan(source * plane, plane).CopyTo(bytes.AsSpan((i * channelsOut + c) * plane, plane));
            }
        }
        var pixelsOut = (normalization ?? PixelNormalization.Unit).ToFloats(bytes, channelsOut, plane);
        return new ImageDataset($"images:{root}", pixelsOut, [.. labels], channelsOut, height, width, classes.Count, classes);
    }

    /// <summary>True when the three planes of a colour image are equal.</summary>
    public static bool IsGrey(byte[] pixels, int plane) =>
        pixels.AsSpan(plane, plane).SequenceEqual(pixels.AsSpan(0, plane)) && pixels.AsSpan(2 * plane, plane).SequenceEqual(pixels.AsSpan(0, plane));

    private static int IndexOf(IReadOnlyList<string> classes, string? name)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
