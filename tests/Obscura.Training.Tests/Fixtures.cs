using Obscura.Data;
using Obscura.Nn;
using Obscura.Nn.Models;
using Obscura.Training;

namespace Obscura.Training.Tests;

/// <summary>Small models and data shared by the training tests.</summary>
public static class Fixtures
{
    public static readonly int[] ImageShape = [1, 12, 12];

    /// <summary>A tiny conv + GroupNorm + linear model that exercises every parametrised layer kind but weight standardisation.</summary>
    public static Model SmallModel(int seed = 1)
    {
        var rng = new Random(seed);
        var root = new Sequential(new (string, Layer)[]
        {
            ("conv", new Nn.Layers.Conv2d(1, 4, 3, 2, 1, rng)),
            ("norm", new Nn.Layers.GroupNorm(2, 4)),
            ("tanh", new Nn.Layers.Tanh()),
            ("flatten", new Nn.Layers.Flatten()),
            ("fc", new Nn.Layers.Linear(4 * 6 * 6, 3, rng)),
        });
        return new Model("small", root, ImageShape, 3);
    }

    /// <summary>Seeded images whose class is readable from the mean brightness of three bands.</summary>
    public static ImageDataset SeparableData(int count, int seed = 2)
    {
        var rng = new Random(seed);
        var length = 12 * 12;
        var pixels = new float[count * length];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var label = rng.Next(3);
            labels[i] = label;
            for (var p = 0; p < length; p++)
            {
                var row = p / 12;
                var band = row / 4;
                pixels[i * length + p] = (float)((band == label ? 1.0 : -0.5) + 0.3 * (rng.NextDouble() - 0.5));
            }
        }
        return new ImageDataset("separable", pixels, labels, 1, 12, 12, 3);
    }

    public static StepRunner Runner(Model model, ImageDataset data, double? clipNorm, int physicalBatch = 64, int views = 1) =>
        new(model, data, new Augmenter(new AugmentationOptions(views, 2, PaddingMode.Zero, true), 5),
            clipNorm is { } c ? new PerExampleClipper(model.GradientSources, c, false, NormMethod.Auto) : null, physicalBatch);

    public static float[] Gradients(Model model) => model.Parameters.SelectMany(p => p.Grad.Span.ToArray()).ToArray();

    public static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    public static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
