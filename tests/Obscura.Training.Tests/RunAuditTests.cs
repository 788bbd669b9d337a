using Obscura.Data;
using Obscura.Nn;
using Obscura.Training.Auditing;
using Xunit.Abstractions;

namespace Obscura.Training.Tests;

/// <summary>The one-run audit and offline LiRA on tiny runs trained in memory (seconds each).</summary>
public sealed class RunAuditTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "obscura-run-audit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly TrainerOptions Seeded = new() { SeededRandomness = true, LiveEpsilon = false };

    // Adam on 120 easy examples for many epochs: the model has room to memorise the canaries.
    private static TrainConfig Config(PrivacyConfig? privacy, CanaryKind kind) => new(
        "tanh-cnn", "(in memory)", 32, 40, privacy, new PerformanceConfig(256, NormMethod.Auto),
        new OptimizerConfig("adam", 0.01, 0, 0, false), Seed: 5, Canaries: 80, CanaryKind: kind);

    /// <summary>20×20 images whose class is the bright one of four horizontal bands.</summary>
    private static ImageDataset Bands(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[count * 400];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = rng.Next(4);
            for (var p = 0; p < 400; p++)
            {
                pixels[i * 400 + p] = (p / 20 / 5 == labels[i] ? 1f : 0f) + 0.2f * (rng.NextSingle() - 0.5f);
            }
        }
        return new ImageDataset("bands", pixels, labels, 1, 20, 20, 4);
    }

    private (RunFolder Run, TrainingSet Data) Train(string name, TrainConfig config)
    {
        var run = new RunFolder(Path.Combine(folder, name));
        run.Create();
        var data = TrainingData.Assemble(config, Bands(120, 1), Bands(40, 2), recorded: null);
        data.Canaries!.Save(run.CanariesFile);
        run.SaveConfig(config);
        new Trainer(config, run, data.Train, data.Evaluation, Seeded).Run(null, CancellationToken.None);
        return (run, data);
    }

    [Fact]
    public void NonPrivateRunThatMemorisesItsCanaries_GetsABoundClearlyAboveZero_AndLiraSeparatesThem()
    {
        var (run, data) = Train("np", Config(null, CanaryKind.Ood));

        var audit = RunAudit.Run(run, data, new RunAudit.Options(Guesses: 40, Shadows: 2), Seeded);
        output.WriteLine($"{audit.Loss}\n{audit.Lira}");

        Assert.False(audit.Private);
        Assert.Null(audit.AccountedEpsilon);
        Assert.True(audit.Loss.EpsilonLowerBound > 1, $"loss score: {audit.Loss}");
        Assert.True(audit.Lira!.EpsilonLowerBound > 1, $"LiRA: {audit.Lira}");
        Assert.True(audit.Lira.Auc > 0.8, $"LiRA AUC {audit.Lira.Auc}");
        Assert.Equal(2, Directory.GetDirectories(run.ShadowsDir).Length);
        Assert.Equal(audit.Loss.EpsilonLowerBound, RunAudit.TryLoad(run)!.Loss.EpsilonLowerBound);
    }

    [Fact]
    public void PrivateRunWithSmallEpsilon_GetsABoundBelowItsAccountedEpsilon()
    {
        var (run, data) = Train("dp", Config(new PrivacyConfig(null, 8.0, 1e-3, 1.0), CanaryKind.Ood));

        var audit = RunAudit.Run(run, data, new RunAudit.Options(Guesses: 40), Seeded);
        output.WriteLine($"accounted ε {audit.AccountedEpsilon}: {audit.Loss}");

        Assert.True(audit.Private);
        Assert.InRange(audit.AccountedEpsilon!.Value, 0.1, 3);
        Assert.Equal(1e-3, audit.Delta);
        Assert.InRange(audit.Loss.EpsilonLowerBound, 0, audit.AccountedEpsilon.Value);
        Assert.Null(audit.Lira);
    }

    [Fact]
    public void Shadows_AreReusedWhenTheyMatch_AndRefusedWhenTheirConfigDoesNot()
    {
        var config = Config(null, CanaryKind.Ood) with { Epochs = 2 };
        var (run, data) = Train("reuse", config);
        var options = new RunAudit.Options(Guesses: 20, Shadows: 2);
        var first = RunAudit.Run(run, data, options, Seeded);
        var second = RunAudit.Run(run, data, options, Seeded);

        Assert.Equal(0, first.ShadowsReused);
        Assert.Equal(2, second.ShadowsReused);
        Assert.Equal(first.Lira!.Correct, second.Lira!.Correct);

        // Each shadow trained on decoys of the same kind and number, never on an audited canary.
        var decoys = CanarySet.Load(ShadowModels.FolderFor(run, 0).CanariesFile);
        Assert.Equal(data.Canaries!.Count, decoys.Count);
        Assert.Empty(decoys.Canaries.Select(c => c.Pattern).Intersect(data.Canaries.Canaries.Select(c => c.Pattern)));

        var shadow = ShadowModels.FolderFor(run, 1);
        shadow.SaveConfig(shadow.LoadConfig() with { Epochs = 3 });
        var e = Assert.Throws<InvalidDataException>(() => RunAudit.Run(run, data, options, Seeded));
        Assert.Contains(shadow.Path, e.Message);

        shadow.SaveConfig(shadow.LoadConfig() with { Epochs = config.Epochs });
        decoys.Save(shadow.CanariesFile); // shadow 0's decoys in shadow 1
        e = Assert.Throws<InvalidDataException>(() => RunAudit.Run(run, data, options, Seeded));
        Assert.Contains("decoy", e.Message);
    }

    [Fact]
    public void Audit_OfARunWithoutCanaries_IsRefusedNamingTheRunFolder()
    {
        var run = new RunFolder(Path.Combine(folder, "plain"));
        run.Create();
        run.SaveConfig(Config(null, CanaryKind.Ood) with { Canaries = 0 });

        var e = Assert.Throws<InvalidDataException>(() => RunAudit.Run(run, new RunAudit.Options()));
        Assert.Contains(run.Path, e.Message);
        Assert.Contains("no canaries", e.Message);
    }
}
