using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class ImageFolderTests
{
    private const int Side = 6;

    // A grey image of one value, or a colour one with a different value per plane.
    private static byte[] GreyPng(int value) =>
        PngWriter.Encode(Side, Side, 8, 0, Enumerable.Range(0, Side).Select(_ => Enumerable.Repeat(value, Side).ToArray()).ToArray());

    private static byte[] ColourPng(int r, int g, int b) =>
        PngWriter.Encode(Side, Side, 8, 2, Enumerable.Range(0, Side).Select(_ => Enumerable.Range(0, Side).SelectMany(_ => new[] { r, g, b }).ToArray()).ToArray());

    private static void Put(TempDirectory dir, string relative, byte[] png)
    {
        var file = dir.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, png);
    }

    [Fact]
    public void Load_LabelsByClassFolderInOrdinalOrder_AndSkipsOtherFiles()
    {
        using var dir = new TempDirectory();
        Put(dir, "train/zebra/1.png", GreyPng(200));
        Put(dir, "train/apple/2.png", GreyPng(10));
        Put(dir, "train/apple/1.png", GreyPng(20));
        Put(dir, "test/zebra/x.PNG", GreyPng(255));
        File.WriteAllText(dir.File("train/apple/notes.txt"), "not an image");

        var train = ImageFolder.LoadTrain(dir.Path);
        Assert.Equal(["apple", "zebra"], train.ClassNames);
        Assert.Equal([3, 1, Side, Side], train.Shape);
        Assert.Equal([0, 0, 1], train.Labels.ToArray());
        Assert.Equal(20 / 255f, train.Image(0)[0]); // apple/1.png before apple/2.png
        Assert.Equal(10 / 255f, train.Image(1)[0]);

        var test = ImageFolder.LoadTest(dir.Path, ImageFolder.Normalization);
        Assert.Equal([1], test.Labels.ToArray());
        Assert.Equal((1f - 0.5f) / 0.5f, test.Image(0)[0]);
        Assert.Equal(DataFormat.ImageFolder, DataSource.Recognise(dir.Path).Format);
    }

    [Fact]
    public void ColourImages_MakeTheDatasetColour_GreyOnesAreRepeated_AndEqualPlanesCountAsGrey()
    {
        using var dir = new TempDirectory();
        Put(dir, "train/a/grey.png", GreyPng(30));
        Put(dir, "train/b/flat.png", ColourPng(40, 40, 40));
        Assert.Equal(1, ImageFolder.LoadTrain(dir.Path).Channels);

        Put(dir, "train/b/red.png", ColourPng(250, 0, 0));
        var colour = ImageFolder.LoadTrain(dir.Path);
        Assert.Equal([3, 3, Side, Side], colour.Shape);
        var plane = Side * Side;
        Assert.Equal(30 / 255f, colour.Image(0)[2 * plane]); // the grey image in the blue plane too
        Assert.Equal(0f, colour.Image(2)[plane]); // red.png has no green
    }

    [Fact]
    public void BadFolders_AreRefusedNamingTheFileOrFolder()
    {
        using var dir = new TempDirectory();
        Put(dir, "train/a/1.png", GreyPng(1));
        Assert.Contains("at least two classes", Assert.Throws<FileNotFoundException>(() => ImageFolder.LoadTrain(dir.Path)).Message);

        Put(dir, "train/b/1.png", PngWriter.Encode(Side + 1, Side, 8, 0, Enumerable.Range(0, Side).Select(_ => new int[Side + 1]).ToArray()));
        var size = Assert.Throws<InvalidDataException>(() => ImageFolder.LoadTrain(dir.Path)).Message;
        Assert.Contains(Path.Combine("b", "1.png"), size);
        Assert.Contains("same size", size);

        Put(dir, "train/b/1.png", GreyPng(2));
        Assert.Contains("test", Assert.Throws<FileNotFoundException>(() => ImageFolder.LoadTest(dir.Path)).Message);
        Put(dir, "test/c/1.png", GreyPng(3));
        Assert.Contains("'c' is not among the training classes", Assert.Throws<InvalidDataException>(() => ImageFolder.LoadTest(dir.Path)).Message);
    }

    [Fact]
    public void AFolderWithNoRecognisedData_ListsTheLayouts_AndSpotsClassFoldersWithoutTrain()
    {
        using var dir = new TempDirectory();
        var nothing = Assert.Throws<FileNotFoundException>(() => DataSource.Recognise(dir.Path).LoadTrain(null)).Message;
        Assert.Contains("holds no data Obscura recognises", nothing);
        Assert.Contains("x_train.npy", nothing);
        Assert.DoesNotContain("point --data at the folder above", nothing);
        Put(dir, "a/1.png", GreyPng(3));
        Put(dir, "b/1.png", GreyPng(200));
        Assert.Contains("point --data at the folder above", Assert.Throws<FileNotFoundException>(() => DataSource.Recognise(dir.Path).LoadTrain(null)).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => DataSource.Recognise(Path.Combine(dir.Path, "none")).LoadTest(null)).Message);
        Put(dir, "train/a/1.png", GreyPng(3));
        Put(dir, "train/c/1.png", GreyPng(9));
        Directory.CreateDirectory(Path.Combine(dir.Path, "train", "b"));
        Assert.Contains("every class needs training examples", Assert.Throws<InvalidDataException>(() => ImageFolder.LoadTrain(dir.Path)).Message);
    }

    [Fact]
    public void ImagesOfSeveralSizes_NeedASize_AndAreResizedToIt()
    {
        using var dir = new TempDirectory();
        Put(dir, "train/a/small.png", GreyPng(60));
        Put(dir, "train/b/large.png", PngWriter.Encode(12, 9, 8, 0, Enumerable.Range(0, 9).Select(_ => Enumerable.Repeat(90, 12).ToArray()).ToArray()));
        Assert.Contains("--image-size", Assert.Throws<InvalidDataException>(() => ImageFolder.LoadTrain(dir.Path)).Message);

        var resized = ImageFolder.LoadTrain(dir.Path, size: (8, 10));
        Assert.Equal([2, 1, 8, 10], resized.Shape);
        Assert.All(resized.Image(1).ToArray(), v => Assert.Equal(90 / 255f, v));
        Assert.Throws<ArgumentException>(() => new DataSource(dir.Path, DataFormat.FashionMnist) { ImageSize = (8, 10) }.LoadTrain(null));
    }

    [Fact]
    public void Recognise_TellsTheFormatsApart()
    {
        using var dir = new TempDirectory();
        Assert.Equal(DataFormat.FashionMnist, DataSource.Recognise(dir.Path).Format); // its loader explains what is missing
        Directory.CreateDirectory(dir.File("cifar-10-batches-bin"));
        File.WriteAllBytes(Path.Combine(dir.File("cifar-10-batches-bin"), "data_batch_1.bin"), []);
        Assert.Equal(DataFormat.Cifar10, DataSource.Recognise(dir.Path).Format);
        Directory.CreateDirectory(dir.File("train"));
        Assert.Equal(DataFormat.ImageFolder, DataSource.Recognise(dir.Path).Format);
    }
}
