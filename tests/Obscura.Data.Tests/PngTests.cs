using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class PngTests
{
    private const int W = 7, H = 6; // odd width: rows of sub-byte samples end mid-byte

    // A deterministic pattern of samples below 2^depth, samplesPerPixel per pixel.
    private static int[][] Pattern(int samplesPerPixel, int depth, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, H).Select(_ => Enumerable.Range(0, W * samplesPerPixel).Select(_ => rng.Next(1 << depth)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Grey_AtEveryDepth_IsScaledTo255(int depth)
    {
        var samples = Pattern(1, depth);
        var (pixels, channels, height, width) = Png.Decode(PngWriter.Encode(W, H, depth, 0, samples), "grey.png");
        Assert.Equal((1, H, W), (channels, height, width));
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var v = samples[y][x];
                var expected = depth == 16 ? v >> 8 : v * 255 / ((1 << depth) - 1);
                Assert.Equal(expected, pixels[y * W + x]);
            }
        }
    }

    [Fact]
    public void PaethTies_PreferTheAbovePixelOverTheUpperLeft()
    {
        // Row 4 is Paeth-filtered. Where above = 0, upper-left = 10 and left = 15, the predictor's
        // distances to above and to upper-left tie (5 and 5, left 10): PNG takes above. Decoding
        // with the other choice would give these pixels 10 too many.
        var samples = Pattern(1, 8);
        samples[3] = [10, 0, 10, 0, 10, 0, 10];
        samples[4] = [15, 77, 15, 33, 15, 200, 15];
        var (pixels, _, _, _) = Png.Decode(PngWriter.Encode(W, H, 8, 0, samples), "ties.png");
        Assert.Equal(samples.SelectMany(r => r.Select(v => (byte)v)), pixels);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Rgb_IsPlanar_AndRgbaIsCompositedOverBlack(int depth)
    {
        var rgb = Pattern(3, depth);
        var (pixels, channels, _, _) = Png.Decode(PngWriter.Encode(W, H, depth, 2, rgb, split: PngWriter.IDATSplit.Two), "rgb.png");
        Assert.Equal(3, channels);
        var shift = depth == 16 ? 8 : 0;
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(rgb[4][3 * 5 + c] >> shift, pixels[c * W * H + 4 * W + 5]);
        }

        var rgba = Pattern(4, depth, seed: 2);
        (pixels, channels, _, _) = Png.Decode(PngWriter.Encode(W, H, depth, 6, rgba), "rgba.png");
        Assert.Equal(3, channels);
        var alpha = rgba[2][4 * 3 + 3] >> shift;
        Assert.Equal(((rgba[2][4 * 3 + 1] >> shift) * alpha + 127) / 255, pixels[1 * W * H + 2 * W + 3]);
    }

    [Fact]
    public void GreyAlpha_HasOneChannel()
    {
        var ga = Pattern(2, 8);
        var (pixels, channels, _, _) = Png.Decode(PngWriter.Encode(W, H, 8, 4, ga), "ga.png");
        Assert.Equal(1, channels);
        Assert.Equal((ga[5][2 * 6] * ga[5][2 * 6 + 1] + 127) / 255, pixels[5 * W + 6]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Palette_LooksUpColours_WithTransparency(int depth)
    {
        var entries = 1 << depth;
        var palette = Enumerable.Range(0, entries * 3).Select(i => (byte)(i * 7 % 256)).ToArray();
        var transparency = new byte[] { 255, 128 }; // entry 0 opaque, 1 half, the rest opaque
        var indices = Pattern(1, depth);
        var (pixels, channels, _, _) = Png.Decode(PngWriter.Encode(W, H, depth, 3, indices, palette, transparency), "palette.png");
        Assert.Equal(3, channels);
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var i = indices[y][x];
                var alpha = i < transparency.Length ? transparency[i] : 255;
                Assert.Equal((palette[i * 3 + 2] * alpha + 127) / 255, pixels[2 * W * H + y * W + x]);
            }
        }
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, Png.Crc32("123456789"u8));

    [Fact]
    public void BrokenFiles_AreRefusedNamingTheFileAndTheProblem()
    {
        var good = PngWriter.Encode(W, H, 8, 0, Pattern(1, 8));
        Assert.Contains("not a PNG", Error([.. good[..7], 0, .. good[8..]]));
        Assert.Contains("truncated", Error(good[..(good.Length - 20)]));
        var corrupt = (byte[])good.Clone();
        corrupt[40] ^= 0x10; // inside the IDAT data
        Assert.Contains("CRC", Error(corrupt));
        Assert.Contains("interlaced", Error(PngWriter.Encode(W, H, 8, 0, Pattern(1, 8), interlaced: true)));
        Assert.Contains("bit depth 16", Error(PngWriter.Encode(W, H, 16, 3, Pattern(1, 8), palette: new byte[768])));
        Assert.Contains("palette entry", Error(PngWriter.Encode(W, H, 8, 3, Pattern(1, 8), palette: new byte[30])));
    }

    private static string Error(byte[] file)
    {
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(file, "broken.png"));
        Assert.StartsWith("broken.png: ", e.Message);
        return e.Message;
    }
}
