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
        var plane = new double[height * width];
        var across = new double[newWidth * height];
        var upright = new double[newHeight * newWidth];
        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < plane.Length; i++)
            {
                plane[i] = pixels[c * height * width + i];
            }
            // Each pass resamples along rows and writes its result transposed, so the second pass
            // (over what were columns) ends upright.
            ResampleRowsTransposed(plane, height, width, horizontal, across);
            ResampleRowsTransposed(across, newWidth, height, vertical, upright);
            for (var i = 0; i < upright.Length; i++)
            {
                output[c * newHeight * newWidth + i] = (byte)Math.Clamp(Math.Round(upright[i]), 0, 255);
            }
        }
        return output;
    }

    // source: [rows, length]; destination: [weights.Length, rows], destination[j, r] = Σ w·source[r, index].
    private static void ResampleRowsTransposed(double[] source, int rows, int length, (int Index, double Weight)[][] weights, double[] destination)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = source.AsSpan(r * length, length);
            for (var j = 0; j < weights.Length; j++)
            {
                double sum = 0;
                foreach (var (index, weight) in weights[j])
                {
                    sum += weight * row[index];
                }
                destination[j * rows + r] = sum;
            }
        }
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
