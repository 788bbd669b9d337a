using System.Diagnostics;
using Obscura.Data;
using Obscura.Nn;
using Obscura.Nn.Models;
using Obscura.Nn.Optimizers;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;

namespace Obscura.Training;

/// <summary>
/// Times full training steps (forward, loss, backward, per-example clipping, secure noise, update)
/// on a fixed synthetic batch after a warm-up, private and non-private interleaved in short blocks in
/// one process so their ratio holds when the machine's speed drifts.
/// </summary>
/// <remarks>
/// Within a block the steps of one mode follow each other as they do in training, so each timed
/// step starts with the caches its own mode left; each block starts with one untimed step.
/// </remarks>
public static class StepBenchmark
{
    private const int BlockSteps = 5;

    /// <summary>One mode's timing.</summary>
    public sealed record Timing(string Mode, double MedianStepSeconds, double ExamplesPerSecond);

    /// <summary>
    /// Runs <paramref name="steps"/> timed steps per mode after <paramref name="warmup"/> untimed ones, in blocks of
    /// up to <see cref="BlockSteps"/>, each after one untimed step of the same mode.
    /// </summary>
    public static IReadOnlyList<Timing> Run(string modelName, int[] inputShape, int batchSize, IReadOnlyList<bool> privateModes,
        int augmult, int steps, int warmup, int physicalBatch, NormMethod normMethod)
    {
        var rng = new Random(1);
        var model = ModelZoo.Build(modelName, inputShape, 10, rng);
        var data = ImageDataset.Synthetic(batchSize, inputShape, 10, seed: 2);
        var batch = Enumerable.Range(0, batchSize).ToArray();
        var optimizer = new Sgd(model.Parameters, 0.01f, 0.9f);
        var plan = DpPlan.Create(new PrivacyConfig(null, 1.0, 1e-5, 1.0, AllowLargeDelta: true), batchSize, batchSize, 1, model.ParameterCount,
            new SeededRandomSource(3), new SecureGaussianNoise());
        var runners = privateModes.Select(isPrivate => new StepRunner(model, data,
            new Augmenter(new AugmentationOptions(augmult, 2, PaddingMode.Zero, true), 4),
            isPrivate ? new PerExampleClipper(model.GradientSources, 1.0, false, normMethod) : null, physicalBatch)).ToList();
        var times = privateModes.Select(_ => new List<double>()).ToList();
        void Step(int m)
        {
            model.ZeroGradients();
            runners[m].Accumulate(batch);
            if (privateModes[m])
            {
                plan.AddNoiseAndNormalise(model.Parameters);
            }
            optimizer.Step();
        }
        for (var s = 0; s < warmup; s++)
        {
            for (var m = 0; m < runners.Count; m++)
            {
                Step(m);
            }
        }
        while (times[0].Count < steps)
        {
            for (var m = 0; m < runners.Count; m++)
            {
                Step(m);
                for (var s = 0; s < BlockSteps && times[m].Count < steps; s++)
                {
                    var clock = Stopwatch.StartNew();
                    Step(m);
                    times[m].Add(clock.Elapsed.TotalSeconds);
                }
            }
        }
        return privateModes.Select((isPrivate, m) =>
        {
            var median = Median(times[m]);
            return new Timing(isPrivate ? "private" : "non-private", median, batchSize / median);
        }).ToList();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
