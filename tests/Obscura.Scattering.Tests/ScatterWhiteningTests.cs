using Obscura.Nn.Scattering;
using Obscura.Tensors.Blas;

namespace Obscura.Scattering.Tests;

public class ScatterWhiteningTests
{
    private static double[] RandomSpd(int d, int seed, out double[] factor)
    {
        var rng = new Random(seed);
        var b = new double[d * d];
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = rng.NextDouble() - 0.5;
        }
        var a = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var sum = i == j ? 0.1 : 0.0;
                for (var k = 0; k < d; k++)
                {
                    sum += b[i * d + k] * b[j * d + k];
                }
                a[i * d + j] = sum;
            }
        }
        factor = b;
        return a;
    }

    [Fact]
    public void Cholesky_ReproducesTheMatrix_AndItsInverseIsExact()
    {
        const int d = 23;
        var a = RandomSpd(d, 1, out _);
        var l = ScatterWhitening.Cholesky(a, d);
        var inverse = ScatterWhitening.InvertLower(l, d);
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                double product = 0, identity = 0;
                for (var k = 0; k < d; k++)
                {
                    product += l[i * d + k] * l[j * d + k];
                    identity += inverse[i * d + k] * l[k * d + j];
                }
                Assert.Equal(a[i * d + j], product, 1e-10);
                Assert.Equal(i == j ? 1.0 : 0.0, identity, 1e-10);
                if (j > i)
                {
                    Assert.Equal(0.0, l[i * d + j]);
                    Assert.Equal(0.0, inverse[i * d + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(23)]
    [InlineData(300)] // past OpenBLAS's blocking size
    public void NativeLapack_AgreesWithTheManagedFactorAndInverse(int d)
    {
        Assert.True(NativeLapack.IsAvailable, $"OpenBLAS is not in use: {Gemm.FallbackReason}");
        var a = RandomSpd(d, 4, out _);
        var managedFactor = ScatterWhitening.Cholesky(a, d);
        var managedInverse = ScatterWhitening.InvertLower(managedFactor, d);
        var native = (double[])a.Clone();
        NativeLapack.CholeskyLower(native, d);
        for (var i = 0; i < native.Length; i++)
        {
            Assert.Equal(managedFactor[i], native[i], 1e-9 * (1 + Math.Abs(managedFactor[i])));
        }
        NativeLapack.InvertLower(native, d);
        for (var i = 0; i < native.Length; i++)
        {
            Assert.Equal(managedInverse[i], native[i], 1e-9 * (1 + Math.Abs(managedInverse[i])));
        }
    }

    [Theory]
    [InlineData(5)] // fewer features than blocks
    [InlineData(23)]
    public void SecondMoment_MatchesTheDirectSum_AndIsExactlySymmetric(int d)
    {
        const int n = 301;
        var rng = new Random(d);
        var rows = Enumerable.Range(0, n * d).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
        var moment = ScatterWhitening.SecondMoment(rows, n, d);
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var direct = 0.0;
                for (var r = 0; r < n; r++)
                {
                    direct += (double)rows[r * d + i] * rows[r * d + j] / n;
                }
                Assert.Equal(direct, moment[i * d + j], 1e-5);
                Assert.Equal(moment[j * d + i], moment[i * d + j]);
            }
        }
    }

    [Fact]
    public void NativeLapack_RefusesAMatrixThatIsNotPositiveDefinite()
    {
        double[] indefinite = [1, 2, 2, 1];
        Assert.Throws<ArgumentException>(() => NativeLapack.CholeskyLower(indefinite, 2));
    }

    [Fact]
    public void Cholesky_RefusesAMatrixThatIsNotPositiveDefinite()
    {
        double[] indefinite = [1, 2, 2, 1];
        Assert.Throws<ArgumentException>(() => ScatterWhitening.Cholesky(indefinite, 2));
    }

    [Fact]
    public void Whitening_ShrinksTheSpreadOfDirections_AndKeepsTheMeanSquaredNorm()
    {
        // Correlated rows: a few strong directions and many weak ones, like normalised scattering features.
        const int d = 40, n = 4000;
        var rng = new Random(2);
        var rows = new float[n * d];
        for (var r = 0; r < n; r++)
        {
            var strong = rng.NextDouble() - 0.5;
            for (var c = 0; c < d; c++)
            {
                rows[r * d + c] = (float)(10 * strong + 0.3 * (rng.NextDouble() - 0.5) * (1 + c % 5));
            }
        }
        var moment = new double[d * d];
        for (var r = 0; r < n; r++)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    moment[i * d + j] += (double)rows[r * d + i] * rows[r * d + j] / n;
                }
            }
        }
        var whitening = ScatterWhitening.FromSecondMoment(moment, d);
        var white = whitening.Apply(rows, n);

        double MeanSquaredNorm(float[] x) => x.Sum(v => (double)v * v) / n;
        Assert.Equal(d, MeanSquaredNorm(white), d * 1e-3);
        // Along the all-ones direction (the strong one) the whitened data is no longer dominant.
        double Spread(float[] x)
        {
            double along = 0;
            for (var r = 0; r < n; r++)
            {
                var p = 0.0;
                for (var c = 0; c < d; c++)
                {
                    p += x[r * d + c];
                }
                along += p * p / d / n;
            }
            return along / (MeanSquaredNorm(x) / d);
        }
        Assert.True(Spread(rows) > 20, $"the test data should be dominated by one direction, spread {Spread(rows):F1}");
        Assert.True(Spread(white) < Spread(rows) / 4, $"spread {Spread(rows):F1} before whitening, {Spread(white):F2} after");
    }

    [Fact]
    public void Compress_IsLogOnePlusXOverTheScale_AndClampsRoundingBelowZero()
    {
        const float c = ScatterWhitening.CompressionScale;
        var x = new[] { 0f, c, (MathF.E - 1) * c, 99 * c, -1e-9f };
        var y = ScatterWhitening.Compress(x);
        Assert.Equal(0, y[0]);
        Assert.Equal(Math.Log(2), y[1], 1e-6);
        Assert.Equal(1, y[2], 1e-6);
        Assert.Equal(Math.Log(100), y[3], 1e-5);
        Assert.Equal(0, y[4]);
        Assert.Equal(c, x[1]); // the input is left as it was
    }

    [Fact]
    public void Normalise_ActsOnEachExampleAlone()
    {
        int[] shape = [27, 2, 2];
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 3 * 108).Select(_ => (float)(rng.NextDouble() * rng.NextDouble() * 0.05)).ToArray();
        var together = ScatterWhitening.Normalise(rows, 3, shape);
        for (var i = 0; i < 3; i++)
        {
            var alone = ScatterWhitening.Normalise(rows[(i * 108)..((i + 1) * 108)], 1, shape);
            Assert.Equal(alone, together[(i * 108)..((i + 1) * 108)]);
        }
        // Compression changes the normalised features: a GroupNorm of the raw rows alone would differ.
        var uncompressed = new Obscura.Nn.Layers.GroupNorm(27, 27, affine: false).Forward(Obscura.Tensors.Tensor.FromArray(rows, [3, .. shape])).Span.ToArray();
        Assert.True(uncompressed.Zip(together).Max(p => Math.Abs(p.First - p.Second)) > 0.1);
    }

    [Fact]
    public void SyntheticShapes_AreReproducible_InRange_AndNotBlank()
    {
        var a = SyntheticShapes.Generate(50, 1, 28, 28, seed: 7);
        var b = SyntheticShapes.Generate(50, 1, 28, 28, seed: 7);
        var c = SyntheticShapes.Generate(50, 1, 28, 28, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        for (var i = 0; i < 50; i++)
        {
            Assert.Contains(a.AsSpan(i * 784, 784).ToArray(), v => v > 0);
        }
    }
}
