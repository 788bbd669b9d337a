using Obscura.Data;
using Obscura.Nn;
using Obscura.Privacy.Ledger;
using Obscura.Training;

namespace Obscura.Training.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "obscura-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static TrainConfig Config(PrivacyConfig? privacy, double epochs = 2) => new(
        "tanh-cnn", "(in memory)", 40, epochs, privacy, new PerformanceConfig(32, NormMethod.Auto),
        new OptimizerConfig("sgd", 0.5, 0.9, 0, false), Seed: 3);

    private static (ImageDataset, ImageDataset) Data() =>
        (ImageDataset.Synthetic(200, [1, 28, 28], 10, 1), ImageDataset.Synthetic(50, [1, 28, 28], 10, 2));

    [Fact]
    public void Resume_AfterInterruption_KeepsEveryLedgerStepAndFinishesThePlan()
    {
        var config = Config(new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        var run = new RunFolder(folder);
        run.Create();
        run.SaveConfig(config);
        var (train, test) = Data();
        using var cancel = new CancellationTokenSource();
        var first = new Trainer(config, run, train, test, new TrainerOptions { SeededRandomness = true });
        var interrupted = first.Run(new Progress(p => { if (p.Step >= 3) { cancel.Cancel(); } }), cancel.Token);
        Assert.Equal(3, interrupted.Steps);
        Assert.Equal(3, PrivacyLedger.Load(run.LedgerFile).Count);

        var second = new Trainer(run.LoadConfig(), run, train, test, new TrainerOptions { SeededRandomness = true });
        var finished = second.Run(null, CancellationToken.None);
        var planned = second.Plan!.Steps;
        Assert.Equal(planned, finished.Steps);
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        Assert.Equal(planned, ledger.Count);
        Assert.Equal(LedgerAccounting.Epsilon(ledger, 1e-3, Privacy.AccountantKind.Pld), finished.Epsilon!.Value, 9);
        Assert.True(finished.Epsilon > interrupted.Epsilon);
    }

    [Fact]
    public void SameSeed_GivesTheSameRun()
    {
        var (train, test) = Data();
        byte[] TrainedWeights(string name)
        {
            var run = new RunFolder(Path.Combine(folder, name));
            run.Create();
            new Trainer(Config(new PrivacyConfig(null, 1.0, 1e-3, 1.0), epochs: 1), run, train, test,
                new TrainerOptions { SeededRandomness = true }).Run(null, CancellationToken.None);
            return File.ReadAllBytes(run.WeightsFile);
        }
        Assert.Equal(TrainedWeights("a"), TrainedWeights("b"));
    }

    [Fact]
    public void NonPrivateRun_WritesNoLedgerAndIsLabelledInTheWeights()
    {
        var (train, test) = Data();
        var run = new RunFolder(folder);
        run.Create();
        var result = new Trainer(Config(null, epochs: 1), run, train, test).Run(null, CancellationToken.None);
        Assert.False(result.Private);
        Assert.Null(result.Epsilon);
        Assert.False(File.Exists(run.LedgerFile));
        var metadata = Nn.Serialization.SafeTensors.Load(run.WeightsFile).Metadata;
        Assert.StartsWith("false", metadata["private"]);
    }

    private sealed class Progress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
