using Obscura.Data;
using Obscura.Nn;
using Obscura.Nn.Models;
using Obscura.Nn.Serialization;
using Obscura.Tensors;
using Obscura.Training;

namespace Obscura.Training.Tests;

/// <summary>Fine-tuning (DESIGN.md §7): starting from saved weights, and frozen layers.</summary>
public sealed class FineTuningTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "obscura-finetune-" + Guid.NewGuid().ToString("N"));

    public FineTuningTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Model TanhCnn(int seed) => ModelZoo.Build("tanh-cnn", [1, 28, 28], 10, new Random(seed));

    /// <summary>Weights of a differently seeded model, saved as a "pre-trained" file.</summary>
    private string Pretrained()
    {
        var file = Path.Combine(folder, "pretrained.safetensors");
        SafeTensors.SaveParameters(file, TanhCnn(seed: 77).Root);
        return file;
    }

    private static Dictionary<string, float[]> Weights(string file)
    {
        var model = TanhCnn(seed: 1);
        SafeTensors.LoadParameters(file, model.Root);
        return model.Parameters.ToDictionary(p => p.Name, p => p.Value.Span.ToArray());
    }

    private TrainConfig Config(InitialWeights? start, string[]? frozen, PrivacyConfig? privacy) => new(
        "tanh-cnn", "(in memory)", 40, 2, privacy, new PerformanceConfig(32, NormMethod.Auto),
        new OptimizerConfig("sgd", 0.5, 0.9, 0, false), EmaDecay: 0.9, Seed: 3, InitialWeights: start, Frozen: frozen);

    private static (ImageDataset, ImageDataset) Data() =>
        (ImageDataset.Synthetic(200, [1, 28, 28], 10, 1), ImageDataset.Synthetic(50, [1, 28, 28], 10, 2));

    private (RunFolder Run, Trainer Trainer) Start(TrainConfig config, string name = "run")
    {
        var run = new RunFolder(Path.Combine(folder, name));
        run.Create();
        run.SaveConfig(config);
        var (train, test) = Data();
        var trainer = new Trainer(config, run, train, test, new TrainerOptions { SeededRandomness = true });
        trainer.Prepare();
        return (run, trainer);
    }

    [Fact]
    public void PrivateFineTuning_KeepsFrozenLayersBitForBit_AndTrainsTheRest()
    {
        var file = Pretrained();
        var start = InitialWeights.Resolve(file, "(in memory)");
        var (run, trainer) = Start(Config(start, ["features"], new PrivacyConfig(null, 1.0, 1e-3, 1.0)));
        var before = Weights(file);
        Assert.Equal(before["fc1.weight"], trainer.Model!.Parameters.Single(p => p.Name == "fc1.weight").Value.Span.ToArray());

        var result = trainer.Run(null, CancellationToken.None);
        Assert.True(result.Completed);
        var checkpoint = Path.Combine(run.LatestCheckpoint()!, "model.safetensors");
        foreach (var saved in new[] { Weights(run.WeightsFile), Weights(checkpoint) }) // the EMA weights and the raw ones
        {
            foreach (var name in new[] { "features.conv1.weight", "features.conv1.bias", "features.conv2.weight", "features.conv2.bias" })
            {
                Assert.Equal(before[name], saved[name]);
            }
            Assert.NotEqual(before["fc1.weight"], saved["fc1.weight"]);
            Assert.NotEqual(before["fc2.bias"], saved["fc2.bias"]);
        }
        Assert.Equal(26_010 - (16 * 64 + 16) - (32 * 16 * 16 + 32), trainer.Model.TrainableParameterCount);
    }

    [Fact]
    public void Resume_StartsFromTheCheckpoint_AndRefusesInitialWeightsThatChanged()
    {
        var file = Pretrained();
        var config = Config(InitialWeights.Resolve(file, "(in memory)"), null, new PrivacyConfig(null, 1.0, 1e-3, 1.0));
        var (run, trainer) = Start(config);
        trainer.Run(null, CancellationToken.None);
        // The file changes after the run has a checkpoint: resuming uses the checkpoint, not the file.
        SafeTensors.SaveParameters(file, TanhCnn(seed: 78).Root);
        var (train, test) = Data();
        var options = new TrainerOptions { SeededRandomness = true };
        var resumed = new Trainer(config, run, train, test, options);
        resumed.Prepare(); // would throw if it read the changed file
        Assert.True(resumed.Run(null, CancellationToken.None).Completed);

        // Without a checkpoint the run would start from the file again, and it is not the same file.
        var fresh = new RunFolder(Path.Combine(folder, "fresh"));
        var error = Assert.Throws<InvalidDataException>(() => new Trainer(config, fresh, train, test, options).Prepare());
        Assert.Contains(file, error.Message);
        Assert.Contains("changed", error.Message);
    }

    [Fact]
    public void ClippingOfAFineTuningRun_MeasuresOnlyTheTrainableLayers()
    {
        // One example, a clip norm far below its gradient's norm: the clipped gradient of the trained
        // layers must have norm C. Had the frozen layers' gradients counted in the norm (negative
        // control), the trained part would come out shorter than C.
        var model = TanhCnn(seed: 5);
        model.Freeze(["features"]);
        var clipNorm = 1e-3;
        var trained = ClippedNorm(model, new PerExampleClipper(model.TrainableSources, clipNorm, false, NormMethod.Auto));
        Assert.Equal(clipNorm, trained, 6);
        var counted = ClippedNorm(model, new PerExampleClipper(model.GradientSources, clipNorm, false, NormMethod.Auto));
        Assert.True(counted < 0.99 * clipNorm, $"negative control: {counted}");
    }

    private static double ClippedNorm(Model model, PerExampleClipper clipper)
    {
        var data = ImageDataset.Synthetic(1, [1, 28, 28], 10, 9);
        var runner = new StepRunner(model, data, new Augmenter(new AugmentationOptions(1, 0, PaddingMode.Zero, false), 1), clipper, 8);
        model.ZeroGradients();
        runner.Accumulate([0]);
        return Math.Sqrt(model.TrainableParameters.Sum(p => p.Grad.Span.ToArray().Sum(g => (double)g * g)));
    }

    [Fact]
    public void Freeze_TakesWholeLayersByNameOrPrefix_AndRefusesWhatItCannotFreeze()
    {
        var model = TanhCnn(seed: 1);
        Assert.Equal(["features.conv1", "features.conv2", "fc1", "fc2"], model.LayerNames);
        Assert.Equal(["features.conv1", "features.conv2", "fc1"], TanhCnn(1).Freeze([Model.AllButHead]));
        Assert.Equal(["features.conv2"], TanhCnn(1).Freeze(["features.conv2"]));

        var unknown = Assert.Throws<ArgumentException>(() => model.Freeze(["features.conv"])); // not a dotted prefix
        Assert.Contains("features.conv1, features.conv2, fc1, fc2", unknown.Message);
        Assert.Throws<ArgumentException>(() => model.Freeze(["features", "fc"]));
        Assert.Contains("nothing would be trained", Assert.Throws<ArgumentException>(() => model.Freeze(["features", "fc1", "fc2"])).Message);
        Assert.All(model.Parameters, p => Assert.True(p.Trainable)); // a refused request freezes nothing
        var linear = ModelZoo.Build("scatter-linear", [81, 7, 7], 10, new Random(1));
        Assert.Contains("nothing to freeze", Assert.Throws<ArgumentException>(() => linear.Freeze([Model.AllButHead])).Message);
    }

    [Fact]
    public void InitialWeights_FromARunOnTheSameData_AreRefused_FromOtherDataAccepted()
    {
        var source = new RunFolder(Path.Combine(folder, "source"));
        source.Create();
        source.SaveConfig(Config(null, null, null) with { DataDir = Path.Combine(folder, "data-a") });
        SafeTensors.SaveParameters(source.WeightsFile, TanhCnn(seed: 2).Root);

        var refused = Assert.Throws<ArgumentException>(() => InitialWeights.Resolve(source.Path, Path.Combine(folder, "data-a") + "/"));
        Assert.Contains("without privacy", refused.Message);
        Assert.Contains(source.Path, refused.Message);
        // A checkpoint inside that run is the same training.
        var checkpoint = Path.Combine(source.CheckpointsDir, "step-1", "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        File.Copy(source.WeightsFile, checkpoint);
        Assert.Throws<ArgumentException>(() => InitialWeights.Resolve(checkpoint, Path.Combine(folder, "data-a")));

        // A symbolic link to the data folder is the same data.
        var link = Path.Combine(folder, "data-a-link");
        Directory.CreateDirectory(Path.Combine(folder, "data-a"));
        Directory.CreateSymbolicLink(link, Path.Combine(folder, "data-a"));
        Assert.Throws<ArgumentException>(() => InitialWeights.Resolve(source.Path, link));
        // So are weights one step removed: a run on other data that started from the source's weights.
        var second = new RunFolder(Path.Combine(folder, "second"));
        second.Create();
        second.SaveConfig(Config(InitialWeights.Resolve(source.Path, Path.Combine(folder, "data-b")), null, null) with { DataDir = Path.Combine(folder, "data-b") });
        SafeTensors.SaveParameters(second.WeightsFile, TanhCnn(seed: 3).Root);
        Assert.Contains(source.Path, Assert.Throws<ArgumentException>(() => InitialWeights.Resolve(second.Path, Path.Combine(folder, "data-a"))).Message);
        Assert.Equal(second.WeightsFile, InitialWeights.Resolve(second.Path, Path.Combine(folder, "data-c")).File);

        var accepted = InitialWeights.Resolve(source.Path, Path.Combine(folder, "data-b"));
        Assert.Equal(source.WeightsFile, accepted.File);
        Assert.Equal(64, accepted.Sha256.Length);
        Assert.Contains("no such file", Assert.Throws<FileNotFoundException>(() => InitialWeights.Resolve(Path.Combine(folder, "none.safetensors"), "x")).Message);
    }

    [Fact]
    public void PrivacyStatement_NamesTheStartingWeightsAndTheFrozenLayers()
    {
        var start = InitialWeights.Resolve(Pretrained(), "(in memory)");
        var caveat = Reports.PrivacyStatement.FineTuningCaveat(Config(start, ["features"], null))!;
        Assert.Contains(start.File, caveat);
        Assert.Contains(start.Sha256[..16], caveat);
        Assert.Contains("frozen): features", caveat);
        Assert.Contains("treats those weights as public", caveat);
        Assert.Null(Reports.PrivacyStatement.FineTuningCaveat(Config(null, null, null)));
    }

    [Fact]
    public void NewHead_LoadsAllButTheLastLayer_ForAnotherNumberOfClasses()
    {
        var file = Pretrained(); // ten classes
        var three = ModelZoo.Build("tanh-cnn", [1, 28, 28], 3, new Random(5));
        var head = three.Parameters.Where(p => p.Name.StartsWith("fc2.")).Select(p => p.Value.Span.ToArray()).ToList();

        var refused = Assert.Throws<InvalidDataException>(() => InitialWeights.Resolve(file, "(in memory)").LoadInto(three)).Message;
        Assert.Contains("fc2.weight", refused);
        Assert.Contains("--new-head", refused);

        InitialWeights.Resolve(file, "(in memory)", newHead: true).LoadInto(three);
        var saved = Weights(file);
        Assert.Equal(saved["features.conv2.weight"], three.Parameters.Single(p => p.Name == "features.conv2.weight").Value.Span.ToArray());
        Assert.Equal(saved["fc1.bias"], three.Parameters.Single(p => p.Name == "fc1.bias").Value.Span.ToArray());
        Assert.Equal(head, three.Parameters.Where(p => p.Name.StartsWith("fc2.")).Select(p => p.Value.Span.ToArray()).ToList());
    }

    [Fact]
    public void InitialWeights_OfAnotherShape_AreRefusedNamingTheTensor()
    {
        var file = Path.Combine(folder, "other.safetensors");
        var model = TanhCnn(seed: 1);
        SafeTensors.Save(file, model.Parameters.Select(p => (p.Name, p.Name == "fc2.weight" ? new Tensor([5, 32]) : p.Value)));
        var start = InitialWeights.Resolve(file, "(in memory)");
        var error = Assert.Throws<InvalidDataException>(() => start.LoadInto(TanhCnn(seed: 1)));
        Assert.Contains("fc2.weight", error.Message);
    }
}
