using Obscura.Nn.Scattering;
using Obscura.Tensors;

namespace Obscura.Scattering.Tests;

public class ScatterNetReferenceTests
{
    // float32 FFT path against the double spatial path; errors are relative to the largest feature.
    private const double RelativeTolerance = 2e-5;

    [Theory]
    [InlineData(2, 12, 16, 2, 8)]  // the real configuration on a small non-square grid (20×24: radices 4, 5, 3, 2)
    [InlineData(1, 12, 16, 3, 4)]  // J = 3: second-order wavelets applied at resolution 1, folded twice
    [InlineData(1, 9, 11, 2, 6)]   // odd sides: asymmetric padding, odd L
    [InlineData(1, 8, 36, 2, 8)]   // 9 output columns (more than one vector of low-pass outputs); width 44 = 4·11 (generic radix)
    public void Transform_SmallImages_MatchesNaiveSpatialConvolutionInDouble(int channels, int height, int width, int j, int l)
    {
        var rng = new Random(height * 1000 + width * 10 + j);
        var pixels = new float[channels * height * width];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)rng.NextDouble();
        }
        var net = new ScatterNet(channels, height, width, j, l);
        var features = new Tensor(0);
        net.Transform(Tensor.FromArray(pixels, 1, channels, height, width), features);
        var expected = NaiveScattering.Transform(pixels, channels, height, width, j, l);

        Assert.Equal(expected.Length, features.Length);
        var scale = expected.Max(Math.Abs);
        var worst = 0.0;
        var worstAt = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(features.Span[i] - expected[i]);
            if (error > worst)
            {
                (worst, worstAt) = (error, i);
            }
        }
        Assert.True(worst <= RelativeTolerance * scale, $"largest error {worst:g3} at {worstAt} (expected {expected[Math.Max(0, worstAt)]:g6}), scale {scale:g3}");
    }
}
