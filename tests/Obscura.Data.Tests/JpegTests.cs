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
    [InlineData("rgb")]
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
    public void AnAdobeMarkerAlone_MarksAnRgbJpeg()
    {
        // rgb.jpg says RGB twice: components named R, G, B and an Adobe marker with transform 0.
        // With the names replaced by 1, 2, 3 (in the frame and the scan header) only the marker says it; dropping the marker as well
        // (negative control) makes the decoder convert from YCbCr, far from the expected colours.
        var file = File.ReadAllBytes(Fixture("rgb.jpg"));
        var expected = ReadPnm(Fixture("rgb.expected.pnm")).Pixels;
        var frame = Enumerable.Range(0, file.Length - 1).First(i => file[i] == 0xFF && file[i + 1] == 0xC0);
        var scan = Enumerable.Range(0, file.Length - 1).First(i => file[i] == 0xFF && file[i + 1] == 0xDA);
        foreach (var (offset, id) in new[] { (frame + 10, 1), (frame + 13, 2), (frame + 16, 3), (scan + 5, 1), (scan + 7, 2), (scan + 9, 3) })
        {
            Assert.Contains(file[offset], "RGB"u8.ToArray());
            file[offset] = (byte)id;
        }
        Assert.True(Jpeg.Decode(file, "renamed.jpg").Pixels.Zip(expected, (a, e) => Math.Abs(a - e)).Max() <= 1);
        file[Array.IndexOf(file, (byte)'A')] = (byte)'X'; // "Adobe" → "Xdobe": no longer the marker
        Assert.True(Jpeg.Decode(file, "plain.jpg").Pixels.Zip(expected, (a, e) => Math.Abs(a - e)).Max() > 20);
    }

    // An APP1 segment holding a TIFF header and one IFD entry: orientation (0x0112, SHORT, 1 value).
    private static byte[] ExifSegment(int orientation, bool little)
    {
        byte[] U16(int v) => little ? [(byte)v, (byte)(v >> 8)] : [(byte)(v >> 8), (byte)v];
        byte[] U32(int v) => little ? [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)] : [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
        byte[] tiff = [.. (little ? "II"u8 : "MM"u8), .. U16(42), .. U32(8), .. U16(1), .. U16(0x0112), .. U16(3), .. U32(1), .. U16(orientation), 0, 0, .. U32(0)];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        return [0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
    }

    [Theory]
    [InlineData(6, true)]
    [InlineData(8, false)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void AnExifOrientation_TurnsThePhotoUpright(int orientation, bool little)
    {
        var file = File.ReadAllBytes(Fixture("grey.jpg"));
        var stored = Jpeg.Decode(file, "grey.jpg");
        var (pixels, _, height, width) = Jpeg.Decode([.. file[..2], .. ExifSegment(orientation, little), .. file[2..]], "tagged.jpg");
        int Stored(int x, int y) => stored.Pixels[y * stored.Width + x];
        int Upright(int x, int y) => pixels[y * width + x];
        var (w, h) = (stored.Width, stored.Height);
        // Where the stored image's corners end up once the photo is upright.
        var (topLeft, topRight, bottomLeft) = orientation switch
        {
            6 => (Stored(0, h - 1), Stored(0, 0), Stored(w - 1, h - 1)), // turned clockwise
            8 => (Stored(w - 1, 0), Stored(w - 1, h - 1), Stored(0, 0)), // turned anticlockwise
            3 => (Stored(w - 1, h - 1), Stored(0, h - 1), Stored(w - 1, 0)),
            _ => (Stored(w - 1, 0), Stored(0, 0), Stored(w - 1, h - 1)), // 2: mirrored left-right
        };
        Assert.Equal(orientation >= 5 ? (w, h) : (h, w), (height, width));
        Assert.Equal((topLeft, topRight, bottomLeft), (Upright(0, 0), Upright(width - 1, 0), Upright(0, height - 1)));
        Assert.Equal(stored.Pixels.Order(), pixels.Order());
        Assert.NotEqual(stored.Pixels, pixels);
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
