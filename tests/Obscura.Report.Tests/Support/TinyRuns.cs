using System.Buffers.Binary;
using Obscura.Data;
using Obscura.Nn;
using Obscura.Training;

namespace Obscura.Report.Tests.Support;

/// <summary>
/// Two tiny finished runs trained once for the whole test collection: a private one ("dp") and its
/// non-private baseline ("np"), one epoch of the tanh CNN on 200 seeded 28×28 images written in
/// Fashion-MNIST's IDX format (so the CLI can load them from the run's config like real data),
/// with a 60-image test set and a groups file for it.
/// </summary>
public sealed class TinyRuns : IDisposable
{
    public const int TrainCount = 200;
    public const int TestCount = 60;

    public TinyRuns()
    {
        Root = Path.Combine(Path.GetTempPath(), "obscura-report-" + Guid.NewGuid().ToString("N"));
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
        WriteIdx(FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, TrainCount, seed: 1);
        WriteIdx(FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile, TestCount, seed: 2);
        GroupsFile = Path.Combine(Root, "groups.csv");
        File.WriteAllLines(GroupsFile, ["index,group", .. Enumerable.Range(0, TestCount).Select(i => $"{i},{(i % 3 == 0 ? "left-handed" : "right-handed")}")]);
        Private = Train("dp", new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        NonPrivate = Train("np", null);
    }

    public string Root { get; }
    public string DataDir { get; }
    public string GroupsFile { get; }
    public RunFolder Private { get; }
    public RunFolder NonPrivate { get; }

    public ImageDataset Test => TrainingData.LoadTest(Private.LoadConfig());

    public ImageDataset TrainSet => FashionMnist.LoadTrain(DataDir, FashionMnist.Normalization);

    private RunFolder Train(string name, PrivacyConfig? privacy)
    {
        var config = new TrainConfig("tanh-cnn", DataDir, 40, 1, privacy, new PerformanceConfig(64, NormMethod.Auto),
            new OptimizerConfig("sgd", 0.5, 0.9, 0, false), Seed: 3);
        var run = new RunFolder(Path.Combine(Root, name));
        run.Create();
        run.SaveConfig(config);
        var (train, test) = TrainingData.Load(config);
        new Trainer(config, run, train, test, new TrainerOptions { SeededRandomness = true }).Run(null, CancellationToken.None);
        return run;
    }

    // Images whose brightness depends on the label, so the model learns something in one epoch.
    private void WriteIdx(string imagesName, string labelsName, int count, int seed)
    {
        var rng = new Random(seed);
        var labels = new byte[count];
        var pixels = new byte[count * 28 * 28];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)rng.Next(10);
            for (var p = 0; p < 28 * 28; p++)
            {
                pixels[i * 784 + p] = (byte)Math.Clamp(labels[i] * 20 + rng.Next(80), 0, 255);
            }
        }
        File.WriteAllBytes(Path.Combine(DataDir, imagesName), Idx([count, 28, 28], pixels));
        File.WriteAllBytes(Path.Combine(DataDir, labelsName), Idx([count], labels));
    }

    public static byte[] Idx(int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyRunsCollection : ICollectionFixture<TinyRuns>
{
    public const string Name = "tiny runs";
}
