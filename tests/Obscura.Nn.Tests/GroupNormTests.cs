using Obscura.Nn.Layers;
using Obscura.Nn.Tests.Support;

namespace Obscura.Nn.Tests;

public class GroupNormTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(6, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, false)]
    public void Backward_ImageInput_MatchesCentralDifferences(int groups, bool affine)
    {
        var rng = new Random(10 + groups);
        var layer = new GroupNorm(groups, 6, affine);
        TestData.RandomiseParameters(layer, rng, 1f);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 2, 6, 3, 3));
    }

    [Fact]
    public void Backward_FlatInput_MatchesCentralDifferences()
    {
        var rng = new Random(11);
        var layer = new GroupNorm(2, 8);
        TestData.RandomiseParameters(layer, rng, 1f);
        GradientCheck.AssertMatches(layer, TestData.Random(rng, 3, 8));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Backward_SmallGroupsOfCloseValues_MatchesCentralDifferencesOfADoubleReference(int groups)
    {
        // Groups of 2–3 nearly equal values are far too curved for GradientCheck's float step of
        // 1e-2, so the input gradient is compared with central differences (h = 1e-6) of the same
        // function written out in double.
        const int n = 3, channels = 6;
        var rng = new Random(15);
        var x = TestData.Random(rng, n, channels);
        x.Span[0] = 0.5f;
        x.Span[1] = 0.52f;
        x.Span[2] = 0.49f;
        var layer = new GroupNorm(groups, channels);
        TestData.RandomiseParameters(layer, rng, 1f);
        var r = TestData.Random(rng, n, channels);
        layer.Forward(x);
        var analytic = layer.Backward(r).Span.ToArray();
        var gamma = layer.Weight!.Value.Span.ToArray();
        var beta = layer.Bias!.Value.Span.ToArray();
        var rs = r.Span.ToArray();

        double Loss(double[] v)
        {
            var size = channels / groups;
            double sum = 0;
            for (var g = 0; g < n * groups; g++)
            {
                var values = v.AsSpan(g * size, size).ToArray();
                var mean = values.Average();
                var variance = values.Select(e => (e - mean) * (e - mean)).Average();
                for (var j = 0; j < size; j++)
                {
                    var k = g * size + j;
                    sum += rs[k] * (gamma[k % channels] * (v[k] - mean) / Math.Sqrt(variance + layer.Eps) + beta[k % channels]);
                }
            }
            return sum;
        }

        var xd = x.Span.ToArray().Select(v => (double)v).ToArray();
        const double h = 1e-6;
        for (var i = 0; i < xd.Length; i++)
        {
            var saved = xd[i];
            xd[i] = saved + h;
            var plus = Loss(xd);
            xd[i] = saved - h;
            var minus = Loss(xd);
            xd[i] = saved;
            var numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-4 * (1 + Math.Abs(numeric)), $"dx[{i}]: numeric {numeric}, analytic {analytic[i]}.");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PerExampleQuantities_MatchBatchOfOneLoop(int views)
    {
        var rng = new Random(12);
        var layer = new GroupNorm(2, 4);
        TestData.RandomiseParameters(layer, rng, 1f);
        PerExampleOracle.AssertLayerAgrees(layer, TestData.Random(rng, 4 * views, 4, 3, 2), views);
    }

    [Fact]
    public void Forward_EachGroupOfEachExample_HasZeroMeanAndUnitVariance()
    {
        var rng = new Random(13);
        var layer = new GroupNorm(2, 4, affine: false);
        var x = TestData.Random(rng, 3, 4, 5, 5);
        var y = layer.Forward(x).Span;
        const int groupSize = 2 * 25;
        for (var ng = 0; ng < 3 * 2; ng++)
        {
            var group = y.Slice(ng * groupSize, groupSize);
            double mean = 0, square = 0;
            foreach (var v in group)
            {
                mean += v;
                square += (double)v * v;
            }
            mean /= groupSize;
            Assert.Equal(0.0, mean, 1e-5);
            Assert.Equal(1.0, square / groupSize - mean * mean, 1e-3);
        }
    }

    [Fact]
    public void Forward_OneExample_DoesNotDependOnTheOthersInTheBatch()
    {
        var rng = new Random(14);
        var layer = new GroupNorm(2, 4);
        TestData.RandomiseParameters(layer, rng, 1f);
        var x = TestData.Random(rng, 3, 4, 2, 2);
        var alone = layer.Forward(PerExampleOracle.Slice(x, 1, 1)).Span.ToArray();
        var inBatch = layer.Forward(x).Item(1).ToArray();
        Assert.Equal(alone, inBatch);
    }

    [Fact]
    public void Backward_WithoutInputGradient_StillGivesTheParameterGradients()
    {
        var rng = new Random(16);
        var layer = new GroupNorm(2, 4);
        TestData.RandomiseParameters(layer, rng, 1f);
        var x = TestData.Random(rng, 3, 4, 2, 2);
        var dy = TestData.Random(rng, 3, 4, 2, 2);
        float[] Gradients()
        {
            layer.Weight!.Grad.Clear();
            layer.Bias!.Grad.Clear();
            layer.Forward(x);
            layer.Backward(dy);
            layer.AccumulateGradients([], 1);
            return [.. layer.Weight.Grad.Span, .. layer.Bias.Grad.Span];
        }

        var full = Gradients();
        layer.NeedsInputGradient = false;
        Assert.Equal(full, Gradients());
    }

    [Fact]
    public void NonAffine_HasNoParameters()
    {
        var layer = new GroupNorm(3, 9, affine: false);
        Assert.Empty(layer.AllParameters());
        Assert.Null(layer.Weight);
    }

    [Fact]
    public void Constructor_ChannelsNotDivisibleByGroups_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6));
        Assert.Contains("groups (4)", error.Message);
    }
}
