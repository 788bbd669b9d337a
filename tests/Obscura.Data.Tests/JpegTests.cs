namespace Obscura.Data.Tests;

/// <summary>The JPEG reader against libjpeg's decoding of the same files (Fixtures/jpeg/README.md).</summary>
public class JpegTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "jpeg", name);

    // A binary PGM (P5) or PPM (P6) as planar bytes.
    private static (byte[] Pixels, int Channels, int Height, int Width) ReadPnm(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var fields = new List<string>();
        var at = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[at]))
            {
                at++;
            }
            var start = at;
            while (!char.IsWhiteSpace((char)bytes[at]))
            {
                at++;
            }
            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, at - start));
        }
        at++;
        var channels = fields[0] == "P6" ? 3 : 1;
        int width = int.Parse(fields[1]), height = int.Parse(fields[2]);
        var planar = new byte[channels * width * height];
        for (var i = 0; i < width * height; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                planar[c * width * height + i] = bytes[at + i * channels + c];
            }
        }
        return (planar, channels, height, width);
    }

    [Theory]
    [InlineData("grey")]
    [InlineData("c420")]
    [InlineData("c444")]
    [InlineData("c422-restart")]
    [InlineData("c420-scans")]
    [InlineData("progressive")]
    [InlineData("grey-progressive")]
    [InlineData("progressive-restart")]
    public void Decode_MatchesLibjpeg_WithinOneLevel(string name)
    {
        var expected = ReadPnm(Fixture(name + ".expected.pnm"));
        var actual = Jpeg.Read(Fixture(name + ".jpg"));
        Assert.Equal((expected.Channels, expected.Height, expected.Width), (actual.Channels, actual.Height, actual.Width));
        // libjpeg converts colour in fixed point; the inverse DCT is the same double-precision sum.
        var worst = expected.Pixels.Zip(actual.Pixels, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1, $"{name}: largest difference {worst} levels");
    }

    [Fact]
    public void TheToleranceOfOneLevel_IsFarBelowWhatJpegLossLooksLike()
    {
        // Negative control for the comparison above: the fixture decoded by libjpeg differs from
        // the original image by far more than one level, so a tolerance of one cannot hide a
        // decoder that merely returns something image-like.
        var original = ReadPnm(Fixture("colour.ppm"));
        var decoded = Jpeg.Read(Fixture("c420.jpg"));
        Assert.True(original.Pixels.Zip(decoded.Pixels, (o, d) => Math.Abs(o - d)).Max() > 10);
    }

    [Fact]
    public void UnsupportedAndBrokenFiles_AreRefusedNamingTheFile()
    {
        var arithmetic = Assert.Throws<InvalidDataException>(() => Jpeg.Read(Fixture("arithmetic.jpg"))).Message;
        Assert.Contains("arithmetic.jpg", arithmetic);
        Assert.Contains("arithmetic-coded", arithmetic);

        var good = File.ReadAllBytes(Fixture("c420.jpg"));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Jpeg.Decode(good[..(good.Length / 2)], "half.jpg")).Message);
        Assert.Contains("not a JPEG", Assert.Throws<InvalidDataException>(() => Jpeg.Decode([0x89, 0x50, 0x4E, 0x47], "x.jpg")).Message);
    }

    [Fact]
    public void ImageFile_TellsTheFormatsApartByTheirBytes_AndImageFoldersReadJpegs()
    {
        using var dir = new Support.TempDirectory();
        var misnamed = dir.File("photo.png");
        File.Copy(Fixture("c420.jpg"), misnamed);
        Assert.Equal(Jpeg.Read(Fixture("c420.jpg")).Pixels, ImageFile.Read(misnamed).Pixels);
        File.WriteAllText(dir.File("notes.jpg"), "not an image");
        Assert.Contains("neither a PNG nor a JPEG", Assert.Throws<InvalidDataException>(() => ImageFile.Read(dir.File("notes.jpg"))).Message);

        foreach (var (part, label, file) in new[] { ("train", "a", "c420.jpg"), ("train", "b", "c444.jpg"), ("test", "a", "c422-restart.jpg") })
        {
            Directory.CreateDirectory(dir.File($"{part}/{label}"));
            File.Copy(Fixture(file), dir.File($"{part}/{label}/{file}"));
        }
        var train = ImageFolder.LoadTrain(dir.Path);
        Assert.Equal([2, 3, 17, 21], train.Shape);
        Assert.Equal([1, 3, 17, 21], ImageFolder.LoadTest(dir.Path).Shape);
    }
}
