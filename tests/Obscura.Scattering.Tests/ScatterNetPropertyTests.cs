using Obscura.Nn.Scattering;
using Obscura.Tensors;

namespace Obscura.Scattering.Tests;

public class ScatterNetPropertyTests
{
    private static readonly Lazy<ScatterNet> Mnist = new(() => new ScatterNet(1, 28, 28));

    [Fact]
    public void OutputShape_Mnist_Is81By7By7()
    {
        var net = Mnist.Value;
        Assert.Equal([81, 7, 7], net.OutputShape);
        Assert.Equal(3969, net.FeatureLength);
        Assert.Equal(81, net.PathsPerChannel);
    }

    [Fact]
    public void Transform_Cifar_Gives243By8By8PerImage()
    {
        var net = new ScatterNet(3, 32, 32);
        Assert.Equal([243, 8, 8], net.OutputShape);
        var features = new Tensor(0);
        net.Transform(Blobs(2, 3, 32, 32, seed: 1), features);
        Assert.True(features.HasShape([2, 243, 8, 8]));
        Assert.All(features.Span.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Transform_WrongImageShape_ThrowsWithShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Mnist.Value.Transform(new Tensor(1, 1, 28, 27), new Tensor(0)));
        Assert.Contains("[1, 1, 28, 27]", error.Message);
    }

    [Fact]
    public void OrderZero_EqualsLowPassedInputSampledEveryFourthPixel()
    {
        var net = Mnist.Value;
        var image = Blobs(1, 1, 28, 28, seed: 2);
        var features = new Tensor(0);
        net.Transform(image, features);
        var (phi, _) = net.Filters.LowPassSpatial();
        var scale = features.Span[..49].ToArray().Max(Math.Abs);
        for (var u = 0; u < 7; u++)
        {
            for (var v = 0; v < 7; v++)
            {
                // Circular convolution on the 36×36 reflect-padded grid at padded position 4(u + 1),
                // i.e. at input pixel 4u: (x ⋆ φ)(4u, 4v).
                double acc = 0;
                for (var a = 0; a < 36; a++)
                {
                    for (var b = 0; b < 36; b++)
                    {
                        var pixel = image.Span[Reflect(a - 4, 28) * 28 + Reflect(b - 4, 28)];
                        acc += pixel * phi[(4 * (u + 1) - a + 36) % 36 * 36 + (4 * (v + 1) - b + 36) % 36];
                    }
                }
                Assert.True(Math.Abs(features.Span[u * 7 + v] - acc) < 1e-5 * scale, $"S0[{u},{v}] = {features.Span[u * 7 + v]}, expected {acc}");
            }
        }
    }

    [Fact]
    public void ConstantImage_GivesConstantOrderZeroAndNoHigherOrders()
    {
        var image = new Tensor(1, 1, 28, 28);
        image.Span.Fill(0.7f);
        var features = new Tensor(0);
        Mnist.Value.Transform(image, features);
        for (var i = 0; i < 49; i++)
        {
            Assert.Equal(0.7 * Math.PI / ScatterFilterBank.KymatioPi, features.Span[i], 5);
        }
        for (var i = 49; i < features.Length; i++)
        {
            Assert.True(Math.Abs(features.Span[i]) < 1e-5, $"feature {i} = {features.Span[i]}");
        }
    }

    [Fact]
    public void Transform_ScaledAndShiftedInput_ScalesOrderZeroAndIgnoresOffsetAbove()
    {
        var net = Mnist.Value;
        var image = Blobs(1, 1, 28, 28, seed: 3);
        var moved = image.Clone();
        foreach (ref var v in moved.Span)
        {
            v = -2 * v + 0.5f; // |−2|·(higher orders), −2·S0 + 0.5·Σφ for order 0
        }
        var (a, b) = (new Tensor(0), new Tensor(0));
        net.Transform(image, a);
        net.Transform(moved, b);
        var scale = a.Span.ToArray().Max(Math.Abs);
        for (var i = 0; i < a.Length; i++)
        {
            var expected = i < 49 ? -2 * a.Span[i] + 0.5 * Math.PI / ScatterFilterBank.KymatioPi : 2 * a.Span[i];
            Assert.True(Math.Abs(b.Span[i] - expected) < 1e-4 * scale, $"feature {i}: {b.Span[i]} vs {expected}");
        }
    }

    [Fact]
    public void Transform_TransposedImage_SwapsAnglesAndTransposesMaps()
    {
        // Transposing the image maps θ to π/2 − θ; with θ_t = (3 − t)π/8 and |x ⋆ ψ_{θ+π}| = |x ⋆ ψ_θ|
        // for real x, angle index t becomes (2 − t) mod 8. Padding 28 → 36 is symmetric, so this is exact.
        var net = Mnist.Value;
        var image = Blobs(1, 1, 28, 28, seed: 4);
        var transposed = new Tensor(1, 1, 28, 28);
        for (var r = 0; r < 28; r++)
        {
            for (var c = 0; c < 28; c++)
            {
                transposed.Span[c * 28 + r] = image.Span[r * 28 + c];
            }
        }
        var (a, b) = (new Tensor(0), new Tensor(0));
        net.Transform(image, a);
        net.Transform(transposed, b);
        static int T(int t) => ((2 - t) % 8 + 8) % 8;
        var mapOf = new int[81];
        mapOf[0] = 0;
        for (var j = 0; j < 2; j++)
        {
            for (var t = 0; t < 8; t++)
            {
                mapOf[1 + j * 8 + t] = 1 + j * 8 + T(t);
            }
        }
        for (var t1 = 0; t1 < 8; t1++)
        {
            for (var t2 = 0; t2 < 8; t2++)
            {
                mapOf[17 + t1 * 8 + t2] = 17 + T(t1) * 8 + T(t2);
            }
        }
        var scale = a.Span.ToArray().Max(Math.Abs);
        for (var m = 0; m < 81; m++)
        {
            for (var u = 0; u < 7; u++)
            {
                for (var v = 0; v < 7; v++)
                {
                    var expected = a.Span[m * 49 + u * 7 + v];
                    var actual = b.Span[mapOf[m] * 49 + v * 7 + u];
                    Assert.True(Math.Abs(actual - expected) < 1e-5 * scale, $"map {m} → {mapOf[m]} at ({u},{v}): {actual} vs {expected}");
                }
            }
        }
    }

    [Fact]
    public void Transform_OnePixelShift_ChangesFeaturesFarLessThanPixels()
    {
        // Digit-like strokes two pixels wide: a one-pixel shift changes most of the ink (relative change
        // 0.79) but the features only by 0.28 (J = 2 averages over about 4 pixels).
        var net = Mnist.Value;
        var image = new Tensor(1, 1, 28, 28);
        for (var i = 6; i < 22; i++)
        {
            image.Span[i * 28 + 9] = image.Span[i * 28 + 10] = 1;      // vertical bar
            image.Span[6 * 28 + i] = image.Span[7 * 28 + i] = 1;       // top bar
            image.Span[i * 28 + i] = image.Span[i * 28 + i + 1] = 1;   // diagonal
        }
        var shifted = new Tensor(1, 1, 28, 28);
        for (var r = 0; r < 28; r++)
        {
            for (var c = 1; c < 28; c++)
            {
                shifted.Span[r * 28 + c] = image.Span[r * 28 + c - 1];
            }
        }
        var (a, b) = (new Tensor(0), new Tensor(0));
        net.Transform(image, a);
        net.Transform(shifted, b);
        var pixelChange = Distance(image.Span, shifted.Span) / Norm(image.Span);
        var featureChange = Distance(a.Span, b.Span) / Norm(a.Span);
        Assert.True(featureChange < 0.5 * pixelChange, $"feature change {featureChange:F3} vs pixel change {pixelChange:F3}");
    }

    [Fact]
    public void Transform_Batch_EqualsOneImageAtATimeWhateverTheThreadCount()
    {
        var net = new ScatterNet(1, 28, 28) { MaxDegreeOfParallelism = 2 };
        var images = Blobs(5, 1, 28, 28, seed: 6);
        var batch = new Tensor(0);
        net.Transform(images, batch);
        net.MaxDegreeOfParallelism = 1;
        for (var i = 0; i < 5; i++)
        {
            var single = new Tensor(0);
            net.Transform(Tensor.FromArray(images.Item(i).ToArray(), 1, 1, 28, 28), single);
            Assert.True(single.Span.SequenceEqual(batch.Item(i)), $"image {i} differs");
        }
    }

    internal static Tensor Blobs(int n, int c, int h, int w, int seed)
    {
        // Smooth images: a few Gaussian blobs each, like blurred digits; zero near the border.
        var rng = new Random(seed);
        var t = new Tensor(n, c, h, w);
        for (var p = 0; p < n * c; p++)
        {
            var plane = t.Span.Slice(p * h * w, h * w);
            for (var k = 0; k < 4; k++)
            {
                double cy = h / 4 + rng.NextDouble() * h / 2, cx = w / 4 + rng.NextDouble() * w / 2, s = 1.5 + 2 * rng.NextDouble();
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        plane[y * w + x] += (float)Math.Exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * s * s));
                    }
                }
            }
        }
        return t;
    }

    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;

    private static double Norm(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x)
        {
            s += v * v;
        }
        return Math.Sqrt(s);
    }

    private static double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double s = 0;
        for (var i = 0; i < x.Length; i++)
        {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.Sqrt(s);
    }
}
