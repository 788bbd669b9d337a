using Obscura.Nn.Scattering;

namespace Obscura.Scattering.Tests;

public class FftTests
{
    private const double Tolerance = 2e-5; // relative to the largest input magnitude times n, float32 butterflies

    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 2, 3 }, { 3, 1 }, { 4, 5 }, { 5, 2 }, { 6, 9 }, { 7, 3 }, { 8, 8 }, { 9, 17 }, { 10, 1 },
        { 12, 4 }, { 16, 3 }, { 18, 18 }, { 20, 10 }, { 25, 2 }, { 27, 3 }, { 36, 36 }, { 40, 7 }, { 49, 2 }, { 64, 5 }, { 77, 2 }, { 97, 1 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Transform_RandomColumns_MatchesNaiveDft(int n, int batch)
    {
        foreach (var inverse in new[] { false, true })
        {
            var rng = new Random(n * 31 + batch);
            var (re, im) = RandomPlanes(rng, n * batch);
            var (expRe, expIm) = NaiveDft(re, im, n, batch, inverse);
            var work = new float[n * batch];
            var work2 = new float[n * batch];
            var (srcRe, srcIm) = ((float[])re.Clone(), (float[])im.Clone());
            var (outRe, outIm) = (new float[n * batch], new float[n * batch]);
            new FftPlan(n).Transform(srcRe, srcIm, outRe, outIm, work, work2, batch, inverse);
            Assert.Equal(re, srcRe); // out-of-place leaves its source alone
            new FftPlan(n).Transform(re, im, work, work2, batch, inverse);
            Assert.Equal(re, outRe);
            Assert.Equal(im, outIm);
            for (var i = 0; i < n * batch; i++)
            {
                Assert.True(Math.Abs(re[i] - expRe[i]) < Tolerance * n, $"n={n} batch={batch} inverse={inverse} re[{i}]: {re[i]} vs {expRe[i]}");
                Assert.True(Math.Abs(im[i] - expIm[i]) < Tolerance * n, $"n={n} batch={batch} inverse={inverse} im[{i}]: {im[i]} vs {expIm[i]}");
            }
        }
    }

    [Theory]
    [InlineData(36, 36)]
    [InlineData(18, 18)]
    [InlineData(20, 24)]
    [InlineData(9, 10)]
    public void Fft2d_ForwardThenInverse_ReturnsInputTimesSize(int h, int w)
    {
        var rng = new Random(h * 100 + w);
        var (re, im) = RandomPlanes(rng, h * w);
        var (origRe, origIm) = ((float[])re.Clone(), (float[])im.Clone());
        var fft = new Fft2d(h, w);
        var (sRe, sIm, wRe, wIm, oRe, oIm) = (new float[h * w], new float[h * w], new float[h * w], new float[h * w], new float[h * w], new float[h * w]);
        fft.Forward(re, im, sRe, sIm, wRe, wIm);
        fft.Inverse(sRe, sIm, oRe, oIm, wRe, wIm);
        for (var i = 0; i < h * w; i++)
        {
            Assert.Equal(origRe[i], oRe[i] / (h * w), 1e-4);
            Assert.Equal(origIm[i], oIm[i] / (h * w), 1e-4);
        }
    }

    [Fact]
    public void Fft2d_Forward_MatchesNaive2dDftInTransposedLayout()
    {
        const int h = 6, w = 10;
        var rng = new Random(7);
        var (re, im) = RandomPlanes(rng, h * w);
        var (inRe, inIm) = ((float[])re.Clone(), (float[])im.Clone());
        var (sRe, sIm, wRe, wIm) = (new float[h * w], new float[h * w], new float[h * w], new float[h * w]);
        new Fft2d(h, w).Forward(re, im, sRe, sIm, wRe, wIm);
        for (var k1 = 0; k1 < h; k1++)
        {
            for (var k2 = 0; k2 < w; k2++)
            {
                double accRe = 0, accIm = 0;
                for (var n1 = 0; n1 < h; n1++)
                {
                    for (var n2 = 0; n2 < w; n2++)
                    {
                        var a = -2 * Math.PI * ((double)k1 * n1 / h + (double)k2 * n2 / w);
                        accRe += inRe[n1 * w + n2] * Math.Cos(a) - inIm[n1 * w + n2] * Math.Sin(a);
                        accIm += inRe[n1 * w + n2] * Math.Sin(a) + inIm[n1 * w + n2] * Math.Cos(a);
                    }
                }
                Assert.Equal(accRe, sRe[k2 * h + k1], 1e-4);
                Assert.Equal(accIm, sIm[k2 * h + k1], 1e-4);
            }
        }
    }

    private static (float[] Re, float[] Im) RandomPlanes(Random rng, int count)
    {
        var re = new float[count];
        var im = new float[count];
        for (var i = 0; i < count; i++)
        {
            re[i] = (float)(2 * rng.NextDouble() - 1);
            im[i] = (float)(2 * rng.NextDouble() - 1);
        }
        return (re, im);
    }

    // Column-wise DFT of a [n, batch] array in double.
    private static (double[] Re, double[] Im) NaiveDft(float[] re, float[] im, int n, int batch, bool inverse)
    {
        var outRe = new double[n * batch];
        var outIm = new double[n * batch];
        var sign = inverse ? 1.0 : -1.0;
        for (var b = 0; b < batch; b++)
        {
            for (var k = 0; k < n; k++)
            {
                double accRe = 0, accIm = 0;
                for (var t = 0; t < n; t++)
                {
                    var a = sign * 2 * Math.PI * ((long)k * t % n) / n;
                    accRe += re[t * batch + b] * Math.Cos(a) - im[t * batch + b] * Math.Sin(a);
                    accIm += re[t * batch + b] * Math.Sin(a) + im[t * batch + b] * Math.Cos(a);
                }
                outRe[k * batch + b] = accRe;
                outIm[k * batch + b] = accIm;
            }
        }
        return (outRe, outIm);
    }
}
