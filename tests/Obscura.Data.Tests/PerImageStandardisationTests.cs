namespace Obscura.Data.Tests;

public class PerImageStandardisationTests
{
    private const double Tolerance = 1e-5;

    // Seeded images, each with its own brightness and contrast, so no two share statistics.
    private static ImageDataset Images(int count, int channels, int height, int width, int seed = 4)
    {
        var rng = new Random(seed);
        var length = channels * height * width;
        var pixels = new float[count * length];
        for (var i = 0; i < count; i++)
        {
            var (offset, scale) = (rng.NextDouble() * 4 - 2, 0.1 + rng.NextDouble() * 3);
            for (var p = 0; p < length; p++)
            {
                pixels[i * length + p] = (float)(offset + scale * rng.NextDouble());
            }
        }
        return new ImageDataset("varied", pixels, new int[count], channels, height, width, 2);
    }

    private static (double Mean, double Std) Statistics(ReadOnlySpan<float> image)
    {
        var values = image.ToArray().Select(v => (double)v).ToArray();
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()));
    }

    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 5, 7)] // colour: one mean and std over all channels
    [InlineData(1, 1, 2)]
    public void Apply_EveryImage_HasMeanZeroAndStdOne_WithLabelsAndShapeKept(int channels, int height, int width)
    {
        var images = Images(13, channels, height, width);
        var standardised = PerImageStandardisation.Apply(images);
        Assert.Equal(images.Shape, standardised.Shape);
        Assert.Equal(images.Labels.ToArray(), standardised.Labels.ToArray());
        for (var i = 0; i < images.Count; i++)
        {
            Assert.True(Statistics(images.Image(i)).Std > 0.01, "the fixture's images are not flat");
            var (mean, std) = Statistics(standardised.Image(i));
            Assert.Equal(0, mean, Tolerance);
            Assert.Equal(1, std, Tolerance);
        }
    }

    [Fact]
    public void Apply_UsesNoOtherImage_AndIgnoresEachImagesBrightnessAndContrast()
    {
        var images = Images(5, 1, 6, 6);
        var alone = PerImageStandardisation.Apply(images.Subset([2]));
        var together = PerImageStandardisation.Apply(images);
        Assert.Equal(alone.Image(0).ToArray(), together.Image(2).ToArray());

        // The same image, brighter and with more contrast: the same result, up to rounding.
        var rescaled = images.Image(2).ToArray().Select(v => 3 * v + 7).ToArray();
        var again = new float[rescaled.Length];
        PerImageStandardisation.Standardise(rescaled, again);
        for (var p = 0; p < again.Length; p++)
        {
            Assert.Equal(together.Image(2)[p], again[p], 1e-4);
        }
        // Negative control: a different image is not mapped there.
        Assert.NotEqual(together.Image(1).ToArray(), together.Image(2).ToArray());
    }

    [Fact]
    public void Standardise_FlatImage_GivesZeros_AndNearlyFlatNoiseIsNotBlownUp()
    {
        var flat = Enumerable.Repeat(0.7f, 784).ToArray();
        var result = new float[784];
        PerImageStandardisation.Standardise(flat, result);
        Assert.All(result, v => Assert.Equal(0f, v, 1e-6f));

        // Noise of size 1e-6 would become ±1 if divided by its own std; the floor keeps it near 1e-6 / MinStd (float rounding of 0.7 adds a little).
        var rng = new Random(1);
        var nearlyFlat = flat.Select(v => v + (float)(rng.NextDouble() - 0.5) * 2e-6f).ToArray();
        PerImageStandardisation.Standardise(nearlyFlat, result);
        Assert.All(result, v => Assert.True(Math.Abs(v) <= 1.5e-6 / PerImageStandardisation.MinStd, $"{v} was amplified"));
    }

    [Fact]
    public void Standardise_MismatchedOrEmptySpans_AreRefused()
    {
        Assert.Contains("same non-empty image", Assert.Throws<ArgumentException>(() => PerImageStandardisation.Standardise(new float[4], new float[3])).Message);
        Assert.Throws<ArgumentException>(() => PerImageStandardisation.Standardise([], []));
    }
}
