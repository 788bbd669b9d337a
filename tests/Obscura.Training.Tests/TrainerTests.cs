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
        var (run, train, test, interrupted) = Interrupted();
        Assert.Equal(3, interrupted.Steps);

        var second = new Trainer(run.LoadConfig(), run, train, test, new TrainerOptions { SeededRandomness = true });
        var finished = second.Run(null, CancellationToken.None);
        var planned = second.Plan!.Steps;
        Assert.Equal(planned, finished.Steps);
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        Assert.Equal(planned, ledger.Count);
        Assert.Equal(LedgerAccounting.Epsilon(ledger, 1e-3, Privacy.AccountantKind.Pld), finished.Epsilon!.Value, 9);
        Assert.True(finished.Epsilon > interrupted.Epsilon);
        // The result's own fields reproduce its ε: it reports the σ the accountant used.
        var fromFields = new Privacy.PldAccountant().GetEpsilon(
            Privacy.DpEvent.PoissonSampledGaussian(finished.SamplingRate!.Value, finished.NoiseMultiplier!.Value, finished.Steps), 1e-3).Epsilon;
        Assert.Equal(finished.Epsilon!.Value, fromFields, 12);
        Assert.True(finished.Completed);
        Assert.False(interrupted.Completed);

        // Resuming the finished run trains nothing and leaves its result as it was.
        var saved = File.ReadAllText(run.ResultFile);
        Assert.Equal(finished, Resume(run, train, test));
        Assert.Equal(saved, File.ReadAllText(run.ResultFile));
        Assert.Equal(planned, PrivacyLedger.Load(run.LedgerFile).Count);
    }

    /// <summary>A private run interrupted after 3 of its steps, checkpoint and ledger both at step 3.</summary>
    private (RunFolder Run, ImageDataset Train, ImageDataset Test, TrainResult Result) Interrupted()
    {
        var config = Config(new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        var run = new RunFolder(folder);
        run.Create();
        run.SaveConfig(config);
        var (train, test) = Data();
        using var cancel = new CancellationTokenSource();
        var result = new Trainer(config, run, train, test, new TrainerOptions { SeededRandomness = true })
            .Run(new Progress(p => { if (p.Step >= 3) { cancel.Cancel(); } }), cancel.Token);
        Assert.Equal(3, PrivacyLedger.Load(run.LedgerFile).Count);
        return (run, train, test, result);
    }

    /// <summary>Replaces the run's ledger by one with the same id holding <paramref name="entries"/> of the current one.</summary>
    private static void RewriteLedger(RunFolder run, Func<IReadOnlyList<LedgerEntry>, IEnumerable<LedgerEntry>> entries)
    {
        var kept = PrivacyLedger.Load(run.LedgerFile);
        var rewritten = new PrivacyLedger(kept.RunId);
        foreach (var entry in entries(kept.Entries))
        {
            rewritten.Append(entry);
        }
        rewritten.Save(run.LedgerFile);
    }

    private static TrainResult Resume(RunFolder run, ImageDataset train, ImageDataset test) =>
        new Trainer(run.LoadConfig(), run, train, test, new TrainerOptions { SeededRandomness = true }).Run(null, CancellationToken.None);

    [Fact]
    public void Resume_WithoutTheLedger_IsRefused_RatherThanCountingFromZero()
    {
        var (run, train, test, _) = Interrupted();
        File.Delete(run.LedgerFile);
        var e = Assert.Throws<InvalidDataException>(() => Resume(run, train, test));
        Assert.Contains(run.LedgerFile, e.Message);
        Assert.Contains("3 private steps", e.Message);
        Assert.False(File.Exists(run.LedgerFile));
    }

    [Fact]
    public void Resume_WithALedgerShorterThanTheCheckpoint_IsRefused()
    {
        var (run, train, test, _) = Interrupted();
        RewriteLedger(run, entries => entries.Take(1));
        var e = Assert.Throws<InvalidDataException>(() => Resume(run, train, test));
        Assert.Contains("records 1 steps", e.Message);
    }

    [Fact]
    public void Resume_WithALedgerOfAnotherSetting_IsRefused()
    {
        var (run, train, test, _) = Interrupted();
        RewriteLedger(run, entries => entries.Select(e => e with { NoiseMultiplier = e.NoiseMultiplier * 2 }));
        var e = Assert.Throws<InvalidDataException>(() => Resume(run, train, test));
        Assert.Contains("another run or setting", e.Message);
    }

    [Fact]
    public void Resume_AfterACrashBetweenLedgerAndCheckpoint_SpendsNoMoreThanThePlan()
    {
        var (run, train, test, _) = Interrupted();
        // Two more steps were recorded (their noisy gradients released) before a crash lost their weights.
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        var last = ledger.Entries[^1];
        for (var i = 0; i < 2; i++)
        {
            ledger.AppendStep(last.SamplingRate, last.NoiseMultiplier, last.ClipNorm, last.DatasetSize, last.Delta);
        }
        ledger.Save(run.LedgerFile);
        var second = new Trainer(run.LoadConfig(), run, train, test, new TrainerOptions { SeededRandomness = true });
        var finished = second.Run(null, CancellationToken.None);
        var after = PrivacyLedger.Load(run.LedgerFile);
        Assert.Equal(second.Plan!.Steps, after.Count);
        Assert.Equal(after.Count, finished.Steps);
        Assert.Equal(LedgerAccounting.Epsilon(after, 1e-3, Privacy.AccountantKind.Pld), finished.Epsilon!.Value, 9);
        var state = RunFolder.ReadJson<TrainState>(Path.Combine(run.LatestCheckpoint()!, "state.json"), "training state");
        Assert.Equal(after.Count - 2, state.Step);
    }

    [Fact]
    public void Resume_AfterTheRunFolderWasMoved_Continues()
    {
        var (run, train, test, _) = Interrupted();
        var moved = new RunFolder(folder + "-moved");
        Directory.Move(run.Path, moved.Path);
        try
        {
            var finished = Resume(moved, train, test);
            Assert.Equal(PrivacyLedger.Load(moved.LedgerFile).Count, finished.Steps);
            Assert.True(finished.Steps > 3);
        }
        finally
        {
            Directory.Delete(moved.Path, recursive: true);
        }
    }

    [Fact]
    public void CheckpointDirectoryLeftByACrashBeforeLatest_IsReplaced_NotTrusted()
    {
        var (run, _, _, _) = Interrupted();
        var stale = Path.Combine(run.CheckpointsDir, "step-000000005");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "state.json"), "{\"step\": 99, \"seed\": 0}");
        var model = Nn.Models.ModelZoo.Build("tanh-cnn", [1, 28, 28], 10, new Random(1));
        var optimizer = OptimizerFactory.Create(new OptimizerConfig("sgd", 0.5, 0.9, 0, false), model.Parameters);
        new Checkpoints(run).Save(model, null, optimizer, new TrainState(5, 3));
        Assert.Equal(stale, run.LatestCheckpoint());
        Assert.Equal(new TrainState(5, 3), RunFolder.ReadJson<TrainState>(Path.Combine(stale, "state.json"), "training state"));
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
