using MathNet.Numerics.IntegralTransforms;
using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(1 << 15)]
    public void Forward_MatchesMathNetReferenceTransform(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var reference = new double[n + 2];
        x.CopyTo(reference, 0);
        Fourier.ForwardReal(reference, n, FourierOptions.Matlab);

        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        RealFft.ForLength(n).Forward(x, re, im);
        for (var k = 0; k <= n / 2; k++)
        {
            Assert.Equal(reference[2 * k], re[k], 1e-9);
            Assert.Equal(reference[2 * k + 1], im[k], 1e-9);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(256)]
    [InlineData(1 << 14)]
    public void Inverse_RecoversTheInput(int n)
    {
        var random = new Random(n + 1);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        var plan = RealFft.ForLength(n);
        plan.Forward(x, re, im);
        var back = new double[n];
        plan.Inverse(re, im, back);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(x[i], back[i], 1e-12);
        }
    }

    [Fact]
    public void LinearConvolution_MatchesTheDirectSum()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 91).Select(_ => random.NextDouble()).ToArray();
        var fast = FftConvolution.Linear(a, b);
        Assert.Equal(a.Length + b.Length - 1, fast.Length);
        for (var k = 0; k < fast.Length; k++)
        {
            double direct = 0;
            for (var i = Math.Max(0, k - b.Length + 1); i <= Math.Min(k, a.Length - 1); i++)
            {
                direct += a[i] * b[k - i];
            }
            Assert.Equal(direct, fast[k], 1e-12);
        }
    }
}
