namespace Obscura.Data;

/// <summary>
/// Resizes planar 8-bit images with a triangle (bilinear) filter whose support widens with the
/// reduction factor, so shrinking averages every source pixel instead of skipping most of them
/// (no aliasing); enlarging is plain bilinear interpolation. Pixel areas are aligned: the output
/// covers exactly the source's extent. Separable: rows, then columns.
/// </summary>
public static class ImageResize
{
    public static byte[] Resize(byte[] pixels, int channels, int height, int width, int newHeight, int newWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newWidth);
        if (pixels.Length != channels * height * width)
        {
            throw new ArgumentException($"ImageResize: {channels}×{height}×{width} pixels need {channels * height * width} bytes, got {pixels.Length}.");
        }
        if (height == newHeight && width == newWidth)
        {
            return (byte[])pixels.Clone();
        }
        var horizontal = Weights(width, newWidth);
        var vertical = Weights(height, newHeight);
        var output = new byte[channels * newHeight * newWidth];
        var rows = new double[height * newWidth];
        for (var c = 0; c < channels; c++)
        {
            var plane = pixels.AsSpan(c * height * width, height * width);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    double sum = 0;
                    foreach (var (index, weight) in horizontal[x])
                    {
                        sum += weight * plane[y * width + index];
                    }
                    rows[y * newWidth + x] = sum;
                }
            }
            var target = output.AsSpan(c * newHeight * newWidth, newHeight * newWidth);
            for (var y = 0; y < newHeight; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    double sum = 0;
                    foreach (var (index, weight) in vertical[y])
                    {
                        sum += weight * rows[index * newWidth + x];
                    }
                    target[y * newWidth + x] = (byte)Math.Clamp(Math.Round(sum), 0, 255);
                }
            }
        }
        return output;
    }

    // For each output position, the source positions and normalised weights of the triangle filter.
    private static (int Index, double Weight)[][] Weights(int from, int to)
    {
        var scale = (double)from / to;
        var support = Math.Max(1.0, scale); // half-width of the triangle, in source pixels
        var result = new (int, double)[to][];
        for (var i = 0; i < to; i++)
        {
            var centre = (i + 0.5) * scale - 0.5;
            var first = Math.Max(0, (int)Math.Floor(centre - support));
            var last = Math.Min(from - 1, (int)Math.Ceiling(centre + support));
            var taps = new List<(int, double)>();
            double total = 0;
            for (var j = first; j <= last; j++)
            {
                var w = 1 - Math.Abs(j - centre) / support;
                if (w > 0)
                {
                    taps.Add((j, w));
                    total += w;
                }
            }
            if (taps.Count == 0)
            {
                taps.Add((Math.Clamp((int)Math.Round(centre), 0, from - 1), 1));
                total = 1;
            }
            result[i] = taps.Select(t => (t.Item1, t.Item2 / total)).ToArray();
        }
        return result;
    }
}
