namespace Obscura.Nn.Scattering;

/// <summary>
/// Public, made-up images: one to four filled ellipses or rectangles of random size, angle, grey
/// level and stripe texture, near the centre of a black canvas (the look of an object photographed
/// on a plain background). They come from a fixed seed and touch no training data, so anything
/// estimated from them costs no privacy.
/// </summary>
public static class SyntheticShapes
{
    /// <summary>Pixels in [0, 1], planar [count, channels, height, width]; every channel gets the same grey image.</summary>
    public static float[] Generate(int count, int channels, int height, int width, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var rng = new Random(seed);
        var plane = height * width;
        var pixels = new float[checked(count * channels * plane)];
        var scale = Math.Min(height, width) / 28.0;
        for (var i = 0; i < count; i++)
        {
            var image = pixels.AsSpan(i * channels * plane, plane);
            var centreX = width / 2.0 + (rng.NextDouble() * 4 - 2) * scale;
            var centreY = height / 2.0 + (rng.NextDouble() * 4 - 2) * scale;
            var shapes = 1 + rng.Next(4);
            for (var s = 0; s < shapes; s++)
            {
                DrawShape(image, height, width, rng,
                    centreX + (rng.NextDouble() - 0.5) * 10 * scale, centreY + (rng.NextDouble() - 0.5) * 10 * scale, scale);
            }
            for (var c = 1; c < channels; c++)
            {
                image.CopyTo(pixels.AsSpan((i * channels + c) * plane, plane));
            }
        }
        return pixels;
    }

    private static void DrawShape(Span<float> image, int height, int width, Random rng, double cx, double cy, double scale)
    {
        var halfA = (2 + rng.NextDouble() * 10) * scale;
        var halfB = (2 + rng.NextDouble() * 10) * scale;
        var angle = rng.NextDouble() * Math.PI;
        var grey = 0.2 + 0.8 * rng.NextDouble();
        var rectangle = rng.Next(2) == 0;
        var stripes = rng.NextDouble() * 0.3;
        var frequency = rng.NextDouble() * 2 / scale;
        var phase = rng.NextDouble() * 2 * Math.PI;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double dx = x - cx, dy = y - cy;
                var u = dx * cos + dy * sin;
                var v = -dx * sin + dy * cos;
                var inside = rectangle
                    ? Math.Abs(u) < halfA && Math.Abs(v) < halfB
                    : u * u / (halfA * halfA) + v * v / (halfB * halfB) < 1;
                if (inside)
                {
                    image[y * width + x] = (float)Math.Clamp(grey * (1 - stripes + stripes * Math.Sin(frequency * u + phase)), 0, 1);
                }
            }
        }
    }
}
