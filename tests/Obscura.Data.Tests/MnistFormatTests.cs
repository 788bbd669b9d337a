using System.Diagnostics;
using Obscura.Data.Tests.Support;
using Xunit.Abstractions;

namespace Obscura.Data.Tests;

public class MnistFormatTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadTrain_SmallDirectory_ScalesPixelsAndKeepsLabels(bool gzip)
    {
        using var dir = new TempDirectory();
        var (pixels, labels) = IdxWriter.WritePair(dir.Path, FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, 6, 28, 28, 10, gzip, seed: 5);

        var data = FashionMnist.LoadTrain(dir.Path);

        Assert.Equal([6, 1, 28, 28], data.Shape);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal("Ankle boot", data.ClassNames![9]);
        Assert.Equal(labels.Select(b => (int)b), data.Labels.ToArray());
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(pixels[i] / 255f, data.Pixels[i]);
        }
    }

    [Fact]
    public void FindFile_BothNamesPresent_PrefersGzip()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("f"), []);
        File.WriteAllBytes(dir.File("f.gz"), []);

        Assert.Equal(dir.File("f.gz"), MnistFormat.FindFile(dir.Path, "f", "HINT"));
    }

    [Fact]
    public void LoadTest_WithNormalization_AppliesMeanAndStd()
    {
        using var dir = new TempDirectory();
        var (pixels, _) = IdxWriter.WritePair(dir.Path, FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile, 3, 4, 5, 10, gzip: false, seed: 6);

        var data = FashionMnist.LoadTest(dir.Path, FashionMnist.Normalization);

        Assert.Equal([3, 1, 4, 5], data.Shape);
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal((pixels[i] / 255f - 0.2860f) / 0.3530f, data.Pixels[i], 1e-6f);
        }
    }

    [Fact]
    public void Load_MismatchedCounts_NamesBothCounts()
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("i"), [5, 2, 2], new byte[20]);
        var labels = IdxWriter.Write(dir.File("l"), [6], new byte[6]);

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.Load(images, labels, "t", 10, null, null, "HINT"));

        Assert.Contains(labels, e.Message);
        Assert.Contains("label file has 6 items but image file", e.Message);
        Assert.Contains("has 5", e.Message);
        Assert.Contains("HINT", e.Message);
    }

    [Fact]
    public void Load_LabelOutOfRange_IsRejected()
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("i"), [2, 2, 2], new byte[8]);
        var labels = IdxWriter.Write(dir.File("l"), [2], [3, 10]);

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.Load(images, labels, "t", 10, null, null, "HINT"));

        Assert.Contains(labels, e.Message);
        Assert.Contains("label 10 of item 1", e.Message);
    }

    [Fact]
    public void Load_ImageFileWithWrongRank_IsRejected()
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("i"), [2, 4], new byte[8]);
        var labels = IdxWriter.Write(dir.File("l"), [2], [0, 1]);

        var e = Assert.Throws<InvalidDataException>(() => MnistFormat.Load(images, labels, "t", 10, null, null, "HINT"));

        Assert.Contains(images, e.Message);
        Assert.Contains("2×4", e.Message);
    }

    [Fact]
    public void LoadTrain_MissingDirectory_SaysHowToInstall()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "absent");

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTrain(missing));

        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--data DIR", e.Message);
    }

    [Fact]
    public void LoadTrain_RealFashionMnist_HasExpectedShapesAndLabels()
    {
        if (!Directory.Exists(FashionMnist.DefaultDirectory))
        {
            output.WriteLine($"Skipped: {FashionMnist.DefaultDirectory} absent (apt-get install dataset-fashion-mnist).");
            return;
        }
        var clock = Stopwatch.StartNew();
        var train = FashionMnist.LoadTrain(normalization: FashionMnist.Normalization);
        output.WriteLine($"Loaded {train} in {clock.ElapsedMilliseconds} ms, including decompression.");
        var test = FashionMnist.LoadTest();

        Assert.Equal([60000, 1, 28, 28], train.Shape);
        Assert.Equal([10000, 1, 28, 28], test.Shape);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.InRange(test.Pixels.ToArray().Min(), 0f, 0f);
        Assert.InRange(test.Pixels.ToArray().Max(), 1f, 1f);

        // The published mean/std are those of the training pixels in [0, 1]: normalised, ≈ 0 and ≈ 1.
        double sum = 0, squares = 0;
        foreach (var x in train.Pixels)
        {
            sum += x;
            squares += (double)x * x;
        }
        var mean = sum / train.Pixels.Length;
        var std = Math.Sqrt(squares / train.Pixels.Length - mean * mean);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);
    }
}
