namespace Obscura.Data.Tests.Support;

public static class TestDatasets
{
    /// <summary>N random images [N, C, H, W] with labels i mod classes.</summary>
    public static ImageDataset Random(int count, int channels, int height, int width, int classes = 10, int seed = 0)
    {
        var rng = new Random(seed);
        var pixels = new float[count * channels * height * width];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = rng.NextSingle();
        }
        var labels = Enumerable.Range(0, count).Select(i => i % classes).ToArray();
        return new ImageDataset("random", pixels, labels, channels, height, width, classes);
    }
}
