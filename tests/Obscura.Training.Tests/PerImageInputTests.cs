using System.Text.Json.Nodes;
using Obscura.Data;
using Obscura.Nn;
using Obscura.Training.Auditing;

namespace Obscura.Training.Tests;

/// <summary>Per-image standardisation as a run setting: what the model sees, canaries included.</summary>
public class PerImageInputTests
{
    private static TrainConfig Config(string model, bool perImage, int canaries = 0, CanaryKind kind = CanaryKind.Mislabelled) => new(
        model, "(in memory)", 32, 2, new PrivacyConfig(3, null, 1e-5, 0.1), new PerformanceConfig(64, NormMethod.Auto),
        new OptimizerConfig("sgd", 0.5, 0.9, 0, false), Seed: 3, Canaries: canaries, CanaryKind: kind, PerImageStandardisation: perImage);

    private static readonly ImageDataset Real = ImageDataset.Synthetic(60, [1, 20, 20], 4, 1);
    private static readonly ImageDataset Evaluation = ImageDataset.Synthetic(20, [1, 20, 20], 4, 2);

    private static void AssertStandardised(ImageDataset images)
    {
        for (var i = 0; i < images.Count; i++)
        {
            var values = images.Image(i).ToArray().Select(v => (double)v).ToArray();
            var mean = values.Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()), 1e-4);
        }
    }

    [Fact]
    public void FrontEnd_StandardisesEachImage_OnlyWhenTheRunSaysSo_AndRefusesItForScatterModels()
    {
        Assert.Same(Real, FeatureFrontEnd.Apply(Config("tanh-cnn", perImage: false), Real));
        var standardised = FeatureFrontEnd.Apply(Config("tanh-cnn", perImage: true), Real);
        Assert.Equal(Real.Labels.ToArray(), standardised.Labels.ToArray());
        AssertStandardised(standardised);
        Assert.Throws<Xunit.Sdk.EqualException>(() => AssertStandardised(Real)); // negative control: the synthetic pixels are not standardised already

        var e = Assert.Throws<ArgumentException>(() => FeatureFrontEnd.Apply(Config("scatter-linear", perImage: true), Real));
        Assert.Contains("scatter-linear", e.Message);
    }

    [Theory]
    [InlineData(CanaryKind.Mislabelled)]
    [InlineData(CanaryKind.Ood)]
    public void Assemble_StandardisesTrainingEvaluationAndCanaries_WhileCanariesAreDrawnFromThePixels(CanaryKind kind)
    {
        var config = Config("tanh-cnn", perImage: true, canaries: 10, kind);
        var data = TrainingData.Assemble(config, Real, Evaluation, recorded: null);
        AssertStandardised(data.Real);
        AssertStandardised(data.Evaluation);
        AssertStandardised(data.CanaryExamples!);
        AssertStandardised(data.Train);
        // The canaries are recorded against the images as loaded, so canaries.json checks the same data with or without the setting.
        Assert.Same(Real, data.RealImages);
        Assert.Equal(Real.ContentHash, data.Canaries!.RealDataHash);

        // Shadow models of an audit see their decoys through the same front end.
        var decoys = CanarySet.DrawDecoys(data.Canaries, 7, data.RealImages);
        AssertStandardised(data.WithCanaries(config, decoys).CanaryExamples!);
    }

    [Fact]
    public void RunsSavedBeforeTheSetting_LoadWithItOff()
    {
        var folder = Directory.CreateTempSubdirectory("obscura-per-image-").FullName;
        try
        {
            var run = new RunFolder(folder);
            run.SaveConfig(Config("tanh-cnn", perImage: true));
            Assert.True(run.LoadConfig().PerImageStandardisation);

            var json = JsonNode.Parse(File.ReadAllText(run.ConfigFile))!.AsObject();
            Assert.True(json.Remove("per_image_standardisation"), "the setting is saved under its own name");
            File.WriteAllText(run.ConfigFile, json.ToJsonString());
            Assert.False(run.LoadConfig().PerImageStandardisation);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
