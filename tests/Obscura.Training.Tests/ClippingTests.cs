using Obscura.Training;

namespace Obscura.Training.Tests;

public class ClippingTests
{
    private const double Clip = 0.05;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryClippedExampleGradient_HasNormAtMostC(int views)
    {
        var model = Fixtures.SmallModel();
        var data = Fixtures.SeparableData(20);
        var runner = Fixtures.Runner(model, data, Clip, views: views);
        var clippedSeen = 0;
        for (var i = 0; i < data.Count; i++)
        {
            model.ZeroGradients();
            var stats = runner.Accumulate([i]);
            clippedSeen += stats.Clipped;
            var norm = Fixtures.Norm(Fixtures.Gradients(model));
            Assert.True(norm <= Clip * (1 + 1e-6), $"example {i}: clipped gradient norm {norm} exceeds C = {Clip}");
        }
        Assert.True(clippedSeen > 0, "the test must exercise clipping: no example had a norm above C");
    }

    [Fact]
    public void NeighbouringBatches_ClippedSumsDifferByAtMostC()
    {
        var model = Fixtures.SmallModel();
        var data = Fixtures.SeparableData(40);
        var runner = Fixtures.Runner(model, data, Clip);
        int[] batch = [0, 3, 5, 8, 13, 21, 34];
        model.ZeroGradients();
        runner.Accumulate(batch);
        var without = Fixtures.Gradients(model);
        for (var extra = 1; extra < 40; extra += 7)
        {
            if (batch.Contains(extra))
            {
                continue;
            }
            model.ZeroGradients();
            runner.Accumulate(batch.Append(extra).Order().ToArray());
            var with = Fixtures.Gradients(model);
            var distance = Fixtures.Distance(with, without);
            Assert.True(distance <= Clip * (1 + 1e-5), $"adding example {extra} moved the clipped sum by {distance} > C = {Clip}");
            Assert.True(distance > 0.5 * Clip * 1e-3, "adding an example should change the sum");
        }
    }

    [Fact]
    public void PerLayerClipping_NeighbouringBatchesStillDifferByAtMostC()
    {
        var model = Fixtures.SmallModel();
        var data = Fixtures.SeparableData(30);
        var runner = new StepRunner(model, data, new Data.Augmenter(new Data.AugmentationOptions(1), 1),
            new PerExampleClipper(model.GradientSources, Clip, perLayer: true, Nn.NormMethod.Auto), 64);
        int[] batch = [2, 4, 6, 8];
        model.ZeroGradients();
        runner.Accumulate(batch);
        var without = Fixtures.Gradients(model);
        model.ZeroGradients();
        var stats = runner.Accumulate([2, 4, 5, 6, 8]);
        Assert.True(stats.Clipped > 0);
        var distance = Fixtures.Distance(Fixtures.Gradients(model), without);
        Assert.True(distance <= Clip * (1 + 1e-5), $"per-layer clipping let one example move the sum by {distance} > C = {Clip}");
    }

    [Fact]
    public void InfiniteClipNormAndNoNoise_ReproducePlainSgd()
    {
        var data = Fixtures.SeparableData(64);
        var privateModel = Fixtures.SmallModel();
        var plainModel = Fixtures.SmallModel();
        var privateRunner = Fixtures.Runner(privateModel, data, double.PositiveInfinity);
        var plainRunner = Fixtures.Runner(plainModel, data, null);
        var privateSgd = new Nn.Optimizers.Sgd(privateModel.Parameters, 0.5f, 0.9f);
        var plainSgd = new Nn.Optimizers.Sgd(plainModel.Parameters, 0.5f, 0.9f);
        var rng = new Random(3);
        for (var step = 0; step < 5; step++)
        {
            var batch = Enumerable.Range(0, 64).Where(_ => rng.NextDouble() < 0.4).ToArray();
            privateModel.ZeroGradients();
            plainModel.ZeroGradients();
            privateRunner.Accumulate(batch);
            plainRunner.Accumulate(batch);
            // σ = 0: no noise; the clipped sum is divided by the batch size, as the mean gradient is.
            foreach (var p in privateModel.Parameters)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad.Span, 1f / batch.Length, p.Grad.Span);
            }
            privateSgd.Step();
            plainSgd.Step();
        }
        for (var i = 0; i < privateModel.Parameters.Count; i++)
        {
            var a = privateModel.Parameters[i].Value.Span.ToArray();
            var b = plainModel.Parameters[i].Value.Span.ToArray();
            for (var j = 0; j < a.Length; j++)
            {
                Assert.True(Math.Abs(a[j] - b[j]) <= 1e-5 * (1 + Math.Abs(b[j])), $"{privateModel.Parameters[i].Name}[{j}]: {a[j]} vs {b[j]}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Chunking_DoesNotChangeTheClippedSum(int views)
    {
        var data = Fixtures.SeparableData(50);
        var model = Fixtures.SmallModel();
        var batch = Enumerable.Range(0, 50).Where(i => i % 3 != 1).ToArray();
        model.ZeroGradients();
        Fixtures.Runner(model, data, Clip, physicalBatch: 64, views: views).Accumulate(batch);
        var whole = Fixtures.Gradients(model);
        model.ZeroGradients();
        Fixtures.Runner(model, data, Clip, physicalBatch: 7, views: views).Accumulate(batch);
        var chunked = Fixtures.Gradients(model);
        Assert.True(Fixtures.Distance(whole, chunked) <= 1e-5 * (1 + Fixtures.Norm(whole)));
    }

    [Fact]
    public void EmptyBatch_GivesZeroGradient()
    {
        var model = Fixtures.SmallModel();
        var runner = Fixtures.Runner(model, Fixtures.SeparableData(10), Clip);
        model.ZeroGradients();
        var stats = runner.Accumulate([]);
        Assert.Equal(0, stats.Examples);
        Assert.All(Fixtures.Gradients(model), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void NonFiniteExample_IsDroppedAndCounted()
    {
        var clean = Fixtures.SeparableData(12);
        var pixels = clean.Pixels.ToArray();
        pixels[5 * 144 + 7] = float.NaN;
        var poisoned = new Data.ImageDataset("poisoned", pixels, clean.Labels.ToArray(), 1, 12, 12, 3);
        var model = Fixtures.SmallModel();
        model.ZeroGradients();
        var stats = Fixtures.Runner(model, poisoned, Clip).Accumulate([1, 3, 5, 8]);
        Assert.Equal(1, stats.Dropped);
        Assert.Equal(3, stats.Examples);
        var withDrop = Fixtures.Gradients(model);
        Assert.All(withDrop, g => Assert.True(float.IsFinite(g)));
        model.ZeroGradients();
        Fixtures.Runner(model, clean, Clip).Accumulate([1, 3, 8]);
        Assert.True(Fixtures.Distance(withDrop, Fixtures.Gradients(model)) <= 1e-6);
    }
}
