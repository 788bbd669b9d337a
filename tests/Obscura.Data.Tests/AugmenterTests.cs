using Obscura.Data.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Data.Tests;

public class AugmenterTests
{
    private static Tensor RandomBatch(int batch, int channels, int height, int width, int seed)
    {
        var data = TestDatasets.Random(batch, channels, height, width, seed: seed);
        return Tensor.FromArray(data.Pixels.ToArray(), batch, channels, height, width);
    }

    /// <summary>Slow, obvious reference: pad the whole image explicitly, crop at (p + dy, p + dx), then flip.</summary>
    private static float[] ReferenceView(ReadOnlySpan<float> image, int channels, int height, int width, int pad, PaddingMode mode, int dx, int dy, bool flip)
    {
        int ph = height + 2 * pad, pw = width + 2 * pad;
        var padded = new float[channels * ph * pw];
        for (var c = 0; c < channels; c++)
        {
            for (var y = -pad; y < height + pad; y++)
            {
                for (var x = -pad; x < width + pad; x++)
                {
                    int sy = y, sx = x;
                    var inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    if (!inside && mode == PaddingMode.Zero)
                    {
                        continue;
                    }
                    sy = sy < 0 ? -sy : sy >= height ? 2 * height - 2 - sy : sy;
                    sx = sx < 0 ? -sx : sx >= width ? 2 * width - 2 - sx : sx;
                    padded[(c * ph + y + pad) * pw + x + pad] = image[(c * height + sy) * width + sx];
                }
            }
        }
        var view = new float[channels * height * width];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var cx = flip ? width - 1 - x : x;
                    view[(c * height + y) * width + x] = padded[(c * ph + y + pad + dy) * pw + cx + pad + dx];
                }
            }
        }
        return view;
    }

    /// <summary>The (dx, dy, flip) whose reference view equals <paramref name="view"/> exactly (all of them, or the first).</summary>
    private static List<(int Dx, int Dy, bool Flip)> Explanations(ReadOnlySpan<float> image, ReadOnlySpan<float> view, int channels, int height, int width, int pad, PaddingMode mode, bool firstOnly = false)
    {
        var found = new List<(int, int, bool)>();
        foreach (var flip in new[] { false, true })
        {
            for (var dy = -pad; dy <= pad; dy++)
            {
                for (var dx = -pad; dx <= pad; dx++)
                {
                    if (view.SequenceEqual(ReferenceView(image, channels, height, width, pad, mode, dx, dy, flip)))
                    {
                        found.Add((dx, dy, flip));
                        if (firstOnly)
                        {
                            return found;
                        }
                    }
                }
            }
        }
        return found;
    }

    [Fact]
    public void Apply_MultiplicityOne_IsExactCopy()
    {
        var source = RandomBatch(3, 2, 6, 5, seed: 1);
        var destination = new Tensor(0);

        new Augmenter(new AugmentationOptions(Multiplicity: 1, Padding: 2), seed: 7).Apply(source, destination);

        Assert.True(destination.HasShape([3, 2, 6, 5]));
        Assert.Equal(source.Span.ToArray(), destination.Span.ToArray());
    }

    [Theory]
    [InlineData(PaddingMode.Reflect, 2)]
    [InlineData(PaddingMode.Reflect, 4)]
    [InlineData(PaddingMode.Zero, 4)]
    [InlineData(PaddingMode.Zero, 9)]
    public void Apply_EveryViewIsAPaddedCropOfItsOwnExample(PaddingMode mode, int pad)
    {
        const int batch = 3, k = 8, channels = 2, height = 7, width = 8;
        var source = RandomBatch(batch, channels, height, width, seed: 2);
        var destination = new Tensor(0);

        new Augmenter(new AugmentationOptions(k, pad, mode, HorizontalFlip: true), seed: 11).Apply(source, destination);

        Assert.True(destination.HasShape([batch * k, channels, height, width]));
        var flips = 0;
        var shifts = new HashSet<(int, int)>();
        for (var i = 0; i < batch; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var found = Explanations(source.Item(i), destination.Item(i * k + j), channels, height, width, pad, mode, firstOnly: true);
                Assert.True(found.Count > 0, $"view {j} of example {i} is no padded crop of example {i}");
                flips += found[0].Flip ? 1 : 0;
                shifts.Add((found[0].Dx, found[0].Dy));
            }
        }
        // 24 fair coin flips and 24 draws of the shift: all-equal outcomes have probability < 1e-6.
        Assert.InRange(flips, 1, batch * k - 1);
        Assert.True(shifts.Count > 1);
    }

    [Fact]
    public void Apply_FlipOff_NeverFlips()
    {
        const int batch = 4, k = 6, pad = 2;
        var source = RandomBatch(batch, 1, 6, 6, seed: 3);
        var destination = new Tensor(0);

        new Augmenter(new AugmentationOptions(k, pad, PaddingMode.Reflect, HorizontalFlip: false), seed: 5).Apply(source, destination);

        for (var v = 0; v < batch * k; v++)
        {
            var found = Explanations(source.Item(v / k), destination.Item(v), 1, 6, 6, pad, PaddingMode.Reflect);
            Assert.Contains(found, f => !f.Flip);
            Assert.DoesNotContain(found, f => f.Flip);
        }
    }

    [Fact]
    public void Apply_PaddingZeroWithFlipOff_CopiesEachExampleKTimes()
    {
        const int batch = 3, k = 4;
        var source = RandomBatch(batch, 2, 5, 5, seed: 4);
        var destination = new Tensor(0);

        new Augmenter(new AugmentationOptions(k, Padding: 0, HorizontalFlip: false), seed: 1).Apply(source, destination);

        for (var v = 0; v < batch * k; v++)
        {
            Assert.Equal(source.Item(v / k).ToArray(), destination.Item(v).ToArray());
        }
    }

    [Fact]
    public void Apply_SameSeed_IsReproducibleAndStateResumesTheStream()
    {
        var options = new AugmentationOptions(4, 3);
        var source = RandomBatch(5, 3, 8, 8, seed: 5);
        var a = new Augmenter(options, seed: 99);
        var b = new Augmenter(options, seed: 99);
        Tensor outA = new(0), outB = new(0);

        a.Apply(source, outA);
        b.Apply(source, outB);
        Assert.Equal(outA.Span.ToArray(), outB.Span.ToArray());

        var saved = a.State;
        a.Apply(source, outA);
        var second = outA.Span.ToArray();
        var resumed = new Augmenter(options, seed: 0) { State = saved };
        resumed.Apply(source, outB);
        Assert.Equal(second, outB.Span.ToArray());
    }

    [Fact]
    public void Apply_LargeBatch_ParallelCopyStillGivesCropsInLayout()
    {
        const int batch = 40, k = 8, pad = 4;
        var source = RandomBatch(batch, 3, 32, 32, seed: 6);
        var destination = new Tensor(0);

        new Augmenter(new AugmentationOptions(k, pad), seed: 3).Apply(source, destination);

        Assert.True(destination.HasShape([batch * k, 3, 32, 32]));
        foreach (var v in new[] { 0, 7, 8, 161, batch * k - 1 })
        {
            Assert.NotEmpty(Explanations(source.Item(v / k), destination.Item(v), 3, 32, 32, pad, PaddingMode.Reflect, firstOnly: true));
        }
    }

    [Fact]
    public void Apply_ReusedDestination_AllocatesNoPixelMemory()
    {
        var source = RandomBatch(2, 1, 8, 8, seed: 7);
        var destination = new Tensor(0);
        var augmenter = new Augmenter(new AugmentationOptions(4, 2), seed: 1);
        augmenter.Apply(source, destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        augmenter.Apply(source, destination);

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256);
    }

    [Fact]
    public void Apply_EmptyBatch_GivesEmptyDestination()
    {
        var destination = new Tensor(3, 1, 4, 4);

        new Augmenter(new AugmentationOptions(4, 1), seed: 1).Apply(new Tensor(0, 1, 4, 4), destination);

        Assert.True(destination.HasShape([0, 1, 4, 4]));
    }

    [Fact]
    public void Apply_ReflectPaddingAsLargeAsImage_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Augmenter(new AugmentationOptions(2, 4), seed: 1).Apply(new Tensor(1, 1, 4, 4), new Tensor(0)));

        Assert.Contains("reflect padding 4", e.Message);
    }

    [Fact]
    public void ExpandLabels_RepeatsEachLabelKTimes()
    {
        var destination = new int[6];

        new Augmenter(new AugmentationOptions(3), seed: 1).ExpandLabels([5, 2], destination);

        Assert.Equal([5, 5, 5, 2, 2, 2], destination);
    }
}
