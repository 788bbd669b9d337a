using Obscura.Nn.Scattering;

namespace Obscura.Scattering.Tests;

public class ScatterScalesTests
{
    private static float[] Images(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count * 784).Select(_ => (float)(rng.NextDouble() * rng.NextDouble())).ToArray();
    }

    private static float[] Raw(ScatterNet net, float[] pixels, int count)
    {
        var features = new float[count * net.FeatureLength];
        net.Transform(pixels, count, features);
        return features;
    }

    [Fact]
    public void TwoScales_GiveEachExampleItsNormalisedJ2ThenJ1Features()
    {
        const int n = 3;
        var scales = new ScatterScales(1, 28, 28, [2, 1]);
        Assert.Equal(81 * 7 * 7 + 9 * 14 * 14, scales.FeatureLength);
        var pixels = Images(n, 1);
        var together = scales.Transform(pixels, n);

        var j2 = ScatterWhitening.Normalise(Raw(new ScatterNet(1, 28, 28, 2), pixels, n), n, [81, 7, 7], groups: 27);
        var j1 = ScatterWhitening.Normalise(Raw(new ScatterNet(1, 28, 28, 1), pixels, n), n, [9, 14, 14], groups: 3);
        for (var i = 0; i < n; i++)
        {
            var row = together.AsSpan(i * scales.FeatureLength, scales.FeatureLength);
            Assert.Equal(j2.AsSpan(i * 3969, 3969).ToArray(), row[..3969].ToArray());
            Assert.Equal(j1.AsSpan(i * 1764, 1764).ToArray(), row[3969..].ToArray());
        }
        // Each group of three maps is standardised on its own: J = 1's three groups have mean ≈ 0 and variance ≈ 1.
        for (var g = 0; g < 3; g++)
        {
            var group = together.AsSpan(3969 + g * 588, 588).ToArray();
            Assert.Equal(0, group.Average(), 1e-4);
            Assert.Equal(1, group.Average(v => v * v), 1e-2);
        }
    }

    [Fact]
    public void TwoScales_ActOnEachExampleAlone()
    {
        var scales = new ScatterScales(1, 28, 28, [2, 1]);
        var pixels = Images(3, 2);
        var together = scales.Transform(pixels, 3);
        var second = scales.Transform(pixels[784..1568], 1);
        Assert.Equal(second, together.AsSpan(scales.FeatureLength, scales.FeatureLength).ToArray());
    }

    [Fact]
    public void OneScale_IsTheSingleScaleFrontEnd()
    {
        var pixels = Images(2, 3);
        var single = new ScatterScales(1, 28, 28, [2]);
        Assert.Equal(ScatterWhitening.Normalise(Raw(new ScatterNet(1, 28, 28), pixels, 2), 2, [81, 7, 7]), single.Transform(pixels, 2));
    }

    [Fact]
    public void RefusesNoScale_ARepeatedScale_AndMapsThatDoNotSplitIntoGroupsOfThree()
    {
        Assert.Throws<ArgumentException>(() => new ScatterScales(1, 28, 28, []));
        Assert.Throws<ArgumentException>(() => new ScatterScales(1, 28, 28, [2, 2]));
        var j3 = Assert.Throws<ArgumentException>(() => new ScatterScales(1, 28, 28, [2, 3]));
        Assert.Contains("217", j3.Message); // 1 + 24 + 192 maps at J = 3
        Assert.Throws<ArgumentException>(() => new ScatterScales(1, 28, 28, [2, 1]).Normalise([new float[3969]], 1));
    }
}
