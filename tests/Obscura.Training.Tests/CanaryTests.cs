using Obscura.Data;
using Obscura.Nn;
using Obscura.Privacy.Ledger;
using Obscura.Training.Auditing;

namespace Obscura.Training.Tests;

public sealed class CanaryTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "obscura-canaries-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static TrainConfig Config(int canaries, PrivacyConfig? privacy = null, CanaryKind kind = CanaryKind.Mislabelled, int seed = 3) => new(
        "tanh-cnn", "(in memory)", 32, 2, privacy, new PerformanceConfig(64, NormMethod.Auto),
        new OptimizerConfig("sgd", 0.5, 0.9, 0, false), Seed: seed, Canaries: canaries, CanaryKind: kind);

    private static readonly ImageDataset Real = ImageDataset.Synthetic(120, [1, 20, 20], 4, 1);
    private static readonly ImageDataset Evaluation = ImageDataset.Synthetic(40, [1, 20, 20], 4, 2);

    [Fact]
    public void PrivacyStatement_WarnsThatMislabelledCanariesDuplicateTrainingImages_AndOnlyThen()
    {
        var caveat = Reports.PrivacyStatement.CanaryCaveat(Config(40));
        Assert.NotNull(caveat);
        Assert.Contains("group of two", caveat);
        Assert.Null(Reports.PrivacyStatement.CanaryCaveat(Config(40, kind: CanaryKind.Ood)));
        Assert.Null(Reports.PrivacyStatement.CanaryCaveat(Config(0)));
    }

    [Fact]
    public void Draw_IsReproducibleFromTheSeed_WithFairCoinsAndWrongLabels()
    {
        var a = CanarySet.Draw(100, CanaryKind.Mislabelled, 3, Real);
        var b = CanarySet.Draw(100, CanaryKind.Mislabelled, 3, Real);
        var other = CanarySet.Draw(100, CanaryKind.Mislabelled, 4, Real);

        Assert.Equal(a.Canaries, b.Canaries);
        Assert.NotEqual(a.Canaries.Select(c => c.Included), other.Canaries.Select(c => c.Included));
        Assert.InRange(a.IncludedIndices.Length, 30, 70); // Binomial(100, 1/2): ±4 standard deviations
        Assert.All(a.Canaries, c => Assert.NotEqual(Real.Label(c.Source!.Value), c.Label));
        Assert.Equal(100, a.Canaries.Select(c => c.Source).Distinct().Count());
        Assert.Equal(Real.ContentHash, a.RealDataHash);
    }

    [Fact]
    public void Draw_NegativeOrMoreCanariesThanExamples_IsRefused()
    {
        Assert.Contains("--canaries", Assert.Throws<ArgumentException>(() => CanarySet.Draw(121, CanaryKind.Mislabelled, 0, Real)).Message);
        Assert.Throws<ArgumentException>(() => CanarySet.Draw(-1, CanaryKind.Ood, 0, Real));
    }

    [Fact]
    public void Decoys_MatchTheAuditedCanariesInKindAndCount_ButShareNoImage()
    {
        foreach (var kind in Enum.GetValues<CanaryKind>())
        {
            var audited = CanarySet.Draw(50, kind, 3, Real);
            var decoys = CanarySet.DrawDecoys(audited, 1003, Real);
            var images = audited.Images(Real);
            var decoyImages = decoys.Images(Real);

            Assert.Equal((audited.Count, audited.Kind, 1003), (decoys.Count, decoys.Kind, decoys.Seed));
            Assert.InRange(decoys.IncludedIndices.Length, 10, 40);
            var auditedRows = Enumerable.Range(0, 50).Select(i => Row(images, i)).ToHashSet();
            Assert.DoesNotContain(Enumerable.Range(0, 50).Select(i => Row(decoyImages, i)), auditedRows.Contains);
        }
        var many = CanarySet.Draw(61, CanaryKind.Mislabelled, 3, Real);
        Assert.Contains("half", Assert.Throws<ArgumentException>(() => CanarySet.DrawDecoys(many, 1003, Real)).Message);
    }

    [Fact]
    public void Assemble_AppendsTheIncludedCanariesOnly_AndTheDpPlanCountsThem()
    {
        var config = Config(40, new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        var data = TrainingData.Assemble(config, Real, Evaluation, recorded: null);
        var set = data.Canaries!;
        var included = set.IncludedIndices.Length;
        var images = set.Images(Real);

        Assert.Equal(Real.Count + included, data.Train.Count);
        Assert.Same(Evaluation, data.Evaluation);
        var trainRows = Enumerable.Range(0, data.Train.Count).Select(i => Row(data.Train, i)).ToHashSet();
        foreach (var c in set.Canaries)
        {
            Assert.Equal(c.Included, trainRows.Contains(Row(images, c.Index)));
        }
        Assert.Equal(Enumerable.Range(0, Real.Count).Select(i => Row(Real, i)), Enumerable.Range(0, Real.Count).Select(i => Row(data.Train, i)));

        var run = new RunFolder(folder);
        var trainer = new Trainer(config, run, data.Train, data.Evaluation, new TrainerOptions { SeededRandomness = true });
        trainer.Prepare();
        Assert.Equal(Real.Count + included, trainer.Plan!.DatasetSize);
        Assert.Equal(32.0 / (Real.Count + included), trainer.Plan.SamplingRate);
    }

    [Fact]
    public void Assemble_WithRecordedCanaries_UsesThemRatherThanAFreshDraw()
    {
        var config = Config(30);
        var drawn = CanarySet.Draw(30, CanaryKind.Mislabelled, config.Seed, Real);
        var flipped = drawn with { Canaries = drawn.Canaries.Select(c => c with { Included = !c.Included }).ToArray() };

        var data = TrainingData.Assemble(config, Real, Evaluation, flipped);

        Assert.Equal(30 - drawn.IncludedIndices.Length, data.IncludedCanaries);
        Assert.Equal(Real.Count + 30 - drawn.IncludedIndices.Length, data.Train.Count);
        Assert.Throws<InvalidDataException>(() => TrainingData.Assemble(Config(31), Real, Evaluation, drawn));
        Assert.Throws<InvalidDataException>(() => TrainingData.Assemble(config, Evaluation, Evaluation, drawn));
        Assert.Throws<InvalidDataException>(() => TrainingData.Assemble(Config(0), Real, Evaluation, drawn));
    }

    [Fact]
    public void Assemble_ScatterModel_GivesCanariesTheirSourcesFeaturesWithoutCachingThem()
    {
        var cache = Path.Combine(folder, "cache");
        var previous = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cache);
        try
        {
            var config = Config(12) with { Model = "scatter-linear" };
            var real = ImageDataset.Synthetic(30, [1, 16, 16], 4, 7);
            var data = TrainingData.Assemble(config, real, ImageDataset.Synthetic(10, [1, 16, 16], 4, 8), recorded: null);

            // Mislabelled canaries copy their source's pixels, so the uncached features must equal the cached ones of the source.
            Assert.All(data.Canaries!.Canaries, c =>
                Assert.Equal(data.Real.Image(c.Source!.Value).ToArray(), data.CanaryExamples!.Image(c.Index).ToArray()));
            Assert.Equal(data.Real.ItemShape, data.Train.ItemShape);
            Assert.Equal(2, Directory.GetFiles(Path.Combine(cache, "obscura")).Length); // the real and evaluation sets only
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", previous);
        }
    }

    [Fact]
    public void SaveAndLoad_RoundTripsBothKinds()
    {
        Directory.CreateDirectory(folder);
        foreach (var kind in Enum.GetValues<CanaryKind>())
        {
            var file = Path.Combine(folder, $"{kind}.json");
            var set = CanarySet.Draw(25, kind, 9, Real);
            set.Save(file);
            var back = CanarySet.Load(file);
            Assert.Equal(set.Canaries, back.Canaries);
            Assert.Equal((set.Kind, set.Seed, set.RealCount, set.RealDataHash), (back.Kind, back.Seed, back.RealCount, back.RealDataHash));
            Assert.Equal(set.Images(Real).ContentHash, back.Images(Real).ContentHash);
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void OodCanaries_AreDistinctBlockPatternsOfTheDataRange()
    {
        var images = CanarySet.Draw(10, CanaryKind.Ood, 5, Real).Images(Real);
        var (low, high) = (Real.Pixels.ToArray().Min(), Real.Pixels.ToArray().Max());

        Assert.All(images.Pixels.ToArray(), v => Assert.True(v == low || v == high));
        Assert.Equal(10, Enumerable.Range(0, 10).Select(i => Row(images, i)).Distinct().Count());
        var first = images.Image(0);
        Assert.Equal(first[0], first[2]); // 20×20 in 7 blocks a side: blocks of 3×3 pixels
        Assert.Equal(first[0], first[2 * 20 + 2]);
    }

    [Fact]
    public void Resume_TrainsOnTheRecordedCanariesAndEveryLedgerStepCountsThem()
    {
        var config = Config(30, new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        var run = new RunFolder(folder);
        run.Create();
        var first = TrainingData.Assemble(config, Real, Evaluation, recorded: null);
        first.Canaries!.Save(run.CanariesFile);
        run.SaveConfig(config);
        using var cancel = new CancellationTokenSource();
        new Trainer(config, run, first.Train, first.Evaluation, new TrainerOptions { SeededRandomness = true })
            .Run(new Progress(p => { if (p.Step >= 3) { cancel.Cancel(); } }), cancel.Token);

        var again = TrainingData.Assemble(run.LoadConfig(), Real, Evaluation, CanarySet.Load(run.CanariesFile));
        var trainer = new Trainer(run.LoadConfig(), run, again.Train, again.Evaluation, new TrainerOptions { SeededRandomness = true });
        var finished = trainer.Run(null, CancellationToken.None);

        Assert.Equal(first.Train.ContentHash, again.Train.ContentHash);
        Assert.Equal(trainer.Plan!.Steps, finished.Steps);
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        Assert.Equal(finished.Steps, ledger.Count);
        Assert.All(ledger.Entries, e => Assert.Equal(Real.Count + first.IncludedCanaries, e.DatasetSize));
    }

    private static string Row(ImageDataset data, int i) => $"{data.Label(i)}:{Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Image(i)))}";

    private sealed class Progress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
