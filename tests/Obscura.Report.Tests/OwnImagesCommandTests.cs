using Obscura.Report.Tests.Support;
using static Obscura.Report.Tests.Support.Pngs;
using static Obscura.Tests.Shared.CommandLine;

namespace Obscura.Report.Tests;

/// <summary>The command line on the user's own images: folders of PNGs, their sizes, pixel statistics and mistakes.</summary>
[Collection(TinyRunsCollection.Name)]
public sealed class OwnImagesCommandTests(TinyRuns runs)
{
    [Fact]
    public void TrainOnAFolderOfOwnImages_ThenPredict_UsesTheFolderNamesAsClasses()
    {
        var data = Path.Combine(runs.Root, "own-images");
        var rng = new Random(4);
        byte[] Image(bool light) => Enumerable.Range(0, 28 * 28).Select(_ => (byte)((light ? 190 : 20) + rng.Next(40))).ToArray();
        foreach (var (part, count) in new[] { ("train", 60), ("test", 10) })
        {
            foreach (var label in new[] { "dark", "light" })
            {
                Directory.CreateDirectory(Path.Combine(data, part, label));
                for (var i = 0; i < count; i++)
                {
                    File.WriteAllBytes(Path.Combine(data, part, label, $"{i}.png"), GreyPng(Image(label == "light"), 28, 28));
                }
            }
        }
        var folder = Path.Combine(runs.Root, "own-images-run");
        var (code, human, json) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--epochs", "3", "--batch-size", "20", "--out", folder, "--json");
        Assert.True(code == 0, human);
        Assert.Contains("N = 120", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        Assert.True(json!.Value.GetProperty("test_accuracy").GetDouble() > 0.9, human);
        Assert.Contains("Test accuracy", human);
        Assert.EndsWith("/test", json.Value.GetProperty("evaluated_on").GetString());
        var described = new Training.RunFolder(folder).LoadDataDescription();
        Assert.Equal(["dark", "light"], described.ClassNames);
        Assert.Equal(Data.DataFormat.ImageFolder, described.Format);

        (code, human, json) = Run("predict", folder, Path.Combine(data, "test", "light", "3.png"), Path.Combine(data, "test", "dark", "3.png"), "--json");
        Assert.True(code == 0, human);
        var predictions = json!.Value.GetProperty("predictions");
        Assert.Equal("light", predictions[0].GetProperty("class").GetString());
        Assert.Equal("dark", predictions[1].GetProperty("class").GetString());

        (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--epochs", "1", "--batch-size", "20", "--delta", "1e-3", "--out", folder + "-dp");
        Assert.True(code == 0, human);
        Assert.Contains("of N = 120", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        // Fine-tuning the ten-class tiny run on these two classes needs a new head.
        (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--init-from", runs.NonPrivate.Path, "--epochs", "1", "--batch-size", "20", "--delta", "1e-3", "--out", folder + "-ft");
        Assert.Equal(1, code);
        Assert.Contains("--new-head", human);
        (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--init-from", runs.NonPrivate.Path, "--new-head", "--freeze", "features",
            "--epochs", "1", "--batch-size", "20", "--delta", "1e-3", "--out", folder + "-ft");
        Assert.True(code == 0, human);
        Assert.Contains("with a new head", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
    }

    [Fact]
    public void ImagesOfSeveralSizes_AreResizedWithImageSize_InTrainingAndInPredict()
    {
        var data = Path.Combine(runs.Root, "sizes");
        foreach (var (part, label, side) in new[] { ("train", "a", 28), ("train", "b", 40), ("test", "a", 31), ("test", "b", 40) })
        {
            Directory.CreateDirectory(Path.Combine(data, part, label));
            for (var i = 0; i < 6; i++)
            {
                File.WriteAllBytes(Path.Combine(data, part, label, $"{i}.png"), GreyPng(Enumerable.Repeat((byte)(label == "a" ? 40 : 200), side * side).ToArray(), side, side));
            }
        }
        var folder = Path.Combine(runs.Root, "sizes-run");
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--epochs", "1", "--batch-size", "4", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("--image-size", human);
        Assert.False(Directory.Exists(folder));

        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--image-size", "24x20", "--epochs", "1", "--batch-size", "4", "--out", folder);
        Assert.True(code == 0, human);
        Assert.Equal([1, 20, 24], new Training.RunFolder(folder).LoadDataDescription().ItemShape); // W×H on the command line
        var other = Path.Combine(runs.Root, "sizes-33.png");
        File.WriteAllBytes(other, GreyPng(new byte[33 * 33], 33, 33));
        (code, human, _) = Run("predict", folder, other);
        Assert.True(code == 0, human);

        foreach (var (dataDir, value) in new[] { (runs.DataDir, "20"), (data, "0"), (data, "20x") })
        {
            (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", dataDir, "--image-size", value, "--out", folder + "-refused");
            Assert.Equal(1, code);
            Assert.Contains("--image-size", human);
            Assert.False(Directory.Exists(folder + "-refused"));
        }
    }

    [Fact]
    public void PixelMeanAndStd_StandardiseTrainingAndPrediction_AndBadValuesAreRefusedByFlag()
    {
        var data = GreyClassFolders("given-stats", 28, "a", "b");
        var folder = Path.Combine(runs.Root, "given-stats-run");
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--pixel-mean", "0.25", "--pixel-std", "0.125", "--epochs", "1", "--batch-size", "4", "--out", folder);
        Assert.True(code == 0, human);
        Assert.Contains("standardised with the given mean 0.25 and std 0.125", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        var run = new Training.RunFolder(folder);
        var config = run.LoadConfig();
        var (train, test) = Training.TrainingData.Load(config);
        float[] expected = [(40 / 255f - 0.25f) / 0.125f, (190 / 255f - 0.25f) / 0.125f];
        Assert.Equal(expected, train.Pixels.ToArray().Distinct().Order().ToArray());

        // predict standardises a new image as training did: its probabilities are the model's on the loaded test image.
        (code, human, var json) = Run("predict", folder, Path.Combine(data, "test", "b", "0.png"), "--json");
        Assert.True(code == 0, human);
        var model = Training.Reports.RunAnalysis.LoadModel(run, config, test);
        var index = Array.IndexOf(test.Labels.ToArray(), 1);
        var logits = model.Forward(Tensors.Tensor.FromArray(test.Image(index).ToArray(), [1, 1, 28, 28])).Span.ToArray();
        var softmax = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var predicted = json!.Value.GetProperty("predictions")[0];
        Assert.Equal(softmax.Max() / softmax.Sum(), predicted.GetProperty("probability").GetDouble(), 4);

        foreach (var (args, flag) in new (string[], string)[]
        {
            (["--pixel-mean", "0.25"], "--pixel-std"),
            (["--pixel-std", "0.125"], "--pixel-mean"),
            (["--pixel-mean", "0.25", "--pixel-std", "0"], "--pixel-std"),
            (["--pixel-mean", "73", "--pixel-std", "90"], "--pixel-mean 73 --pixel-std 90: pixels are scaled to [0, 1]"),
            (["--pixel-mean", "0.2,0.3", "--pixel-std", "0.1,0.1"], "--pixel-mean"),
            (["--pixel-mean", "0.2,0.3,0.4", "--pixel-std", "0.1,0.1,0.1"], "--pixel-mean"), // grey images: one channel
            (["--pixel-mean", "0.25", "--pixel-std", "0.125", "--model", "scatter-linear"], "--pixel-mean"),
        })
        {
            var model2 = args.Contains("--model") ? Array.Empty<string>() : ["--model", "tanh-cnn"];
            (code, human, _) = Run(["train", "--non-private", .. model2, "--data", data, .. args, "--epochs", "1", "--batch-size", "4", "--out", folder + "-refused"]);
            Assert.Equal(1, code);
            Assert.Contains(flag, human);
            Assert.False(Directory.Exists(folder + "-refused"));
        }
        // sweep takes the same data options and refuses them the same way, before making its folder.
        foreach (var (args, flag) in new (string[], string)[]
        {
            (["--recipe", "tanh-cnn", "--pixel-mean", "0.25"], "--pixel-std"),
            (["--recipe", "best", "--pixel-mean", "0.25", "--pixel-std", "0.125"], "--pixel-mean"),
            (["--recipe", "tanh-cnn", "--image-size", "20x"], "--image-size"),
            (["--recipe", "tanh-cnn", "--epsilons", "3,1,3"], "--epsilons"),
            (["--recipe", "tanh-cnn", "--delta", "1e-3"], "--batch-size"), // its recipe's 2,048 does not fit 12 images: refused by the first run
        })
        {
            var epsilons = args.Contains("--epsilons") ? Array.Empty<string>() : ["--epsilons", "3"];
            (code, human, _) = Run(["sweep", .. epsilons, "--data", data, .. args, "--out", folder + "-sweep"]);
            Assert.Equal(1, code);
            Assert.Contains(flag, human);
            Assert.False(Directory.Exists(folder + "-sweep"));
        }
    }

    [Fact]
    public void PerImageStandardisation_FollowsTheRecipe_ReachesTrainingAndPredict_AndIsRefusedWhereItCannotApply()
    {
        var data = GradientClassFolders("per-image", 28);
        var folder = Path.Combine(runs.Root, "per-image-run");
        // Single views, so predict's probability below is the model's on one image.
        var (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--average-views", "false", "--epochs", "1", "--batch-size", "4", "--delta", "1e-3", "--out", folder);
        Assert.True(code == 0, human);
        Assert.Contains("Each image standardised by its own mean and std", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        var run = new Training.RunFolder(folder);
        var config = run.LoadConfig();
        Assert.True(config.PerImageStandardisation, "the private tanh-cnn recipe standardises each image");
        var (train, test) = Training.TrainingData.Load(config);
        // Images of a class differ only in brightness, which per-image standardisation removes: the model sees one image per class.
        for (var i = 0; i < train.Count; i++)
        {
            var first = Array.IndexOf(train.Labels.ToArray(), train.Label(i));
            Assert.Equal(train.Image(first).ToArray(), train.Image(i).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
        }
        Assert.Equal(0, test.Image(0).ToArray().Average(), 1e-5);

        // predict standardises a new image as training did: its probability is the model's on the loaded test image.
        (code, human, var json) = Run("predict", folder, Path.Combine(data, "test", "b", "3.png"), "--json");
        Assert.True(code == 0, human);
        var model = Training.Reports.RunAnalysis.LoadModel(run, config, test);
        var index = Array.LastIndexOf(test.Labels.ToArray(), 1);
        var logits = model.Forward(Tensors.Tensor.FromArray(test.Image(index).ToArray(), [1, 1, 28, 28])).Span.ToArray();
        var softmax = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        Assert.Equal(softmax.Max() / softmax.Sum(), json!.Value.GetProperty("predictions")[0].GetProperty("probability").GetDouble(), 4);

        // The flag overrides the recipe either way.
        (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--per-image-standardisation", "false", "--epochs", "1", "--batch-size", "4", "--delta", "1e-3", "--out", folder + "-off");
        Assert.True(code == 0, human);
        Assert.False(new Training.RunFolder(folder + "-off").LoadConfig().PerImageStandardisation);
        Assert.DoesNotContain("Each image standardised", human);
        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--per-image-standardisation", "--epochs", "1", "--batch-size", "4", "--out", folder + "-on");
        Assert.True(code == 0, human);
        Assert.True(new Training.RunFolder(folder + "-on").LoadConfig().PerImageStandardisation);

        foreach (var args in new[]
        {
            new[] { "train", "--model", "scatter-linear", "--data", data, "--per-image-standardisation", "--epochs", "1", "--batch-size", "4", "--delta", "1e-3", "--out", folder + "-refused" },
            ["sweep", "--recipe", "best", "--epsilons", "3", "--data", data, "--per-image-standardisation", "true", "--out", folder + "-refused"],
            ["train", "--resume", folder, "--per-image-standardisation", "false"], // a resumed run keeps its inputs
        })
        {
            (code, human, _) = Run(args);
            Assert.Equal(1, code);
            Assert.Contains("--per-image-standardisation", human);
            Assert.False(Directory.Exists(folder + "-refused"));
        }
    }

    [Fact]
    public void AverageViews_ScoresTheFinalModelAndPredictsAlike_AndIsRefusedForScatterModels()
    {
        var data = GradientClassFolders("views", 28);
        var folder = Path.Combine(runs.Root, "views-run");
        var (code, human, json) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--average-views", "--epochs", "2", "--batch-size", "4", "--out", folder, "--json");
        Assert.True(code == 0, human);
        Assert.Contains("average 6 views of each image", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        var run = new Training.RunFolder(folder);
        var config = run.LoadConfig();
        Assert.True(config.AverageViews);
        var test = Training.TrainingData.LoadTest(config);
        var model = Training.Reports.RunAnalysis.LoadModel(run, config, test);
        var images = Tensors.Tensor.FromArray(test.Pixels.ToArray(), [test.Count, 1, 28, 28]);
        var averaged = Training.ViewAveraging.Logits(model, images, averageViews: true).Span.ToArray();

        // The accuracy the run reports, evaluate's and predict's probabilities all come from the averaged views.
        var correct = Enumerable.Range(0, test.Count).Count(i => Array.IndexOf(averaged, averaged.Skip(2 * i).Take(2).Max(), 2 * i, 2) - 2 * i == test.Label(i));
        Assert.Equal((double)correct / test.Count, json!.Value.GetProperty("test_accuracy").GetDouble(), 12);
        (code, human, json) = Run("evaluate", folder, "--json");
        Assert.True(code == 0, human);
        Assert.Contains("predictions averaged over 6 views", human);
        Assert.Equal((double)correct / test.Count, json!.Value.GetProperty("test_accuracy").GetDouble(), 12);
        (code, human, json) = Run("predict", folder, Path.Combine(data, "test", "a", "0.png"), "--json");
        Assert.True(code == 0, human);
        var first = Array.IndexOf(test.Labels.ToArray(), 0);
        Assert.Equal(Math.Exp(averaged.Skip(2 * first).Take(2).Max()), json!.Value.GetProperty("predictions")[0].GetProperty("probability").GetDouble(), 4);

        (code, human, _) = Run("train", "--model", "scatter-linear", "--data", data, "--average-views", "--epochs", "1", "--batch-size", "4", "--delta", "1e-3", "--out", folder + "-refused");
        Assert.Equal(1, code);
        Assert.Contains("--average-views", human);
        Assert.False(Directory.Exists(folder + "-refused"));
        (code, human, _) = Run("train", "--resume", folder, "--average-views", "false");
        Assert.Equal(1, code);
        Assert.Contains("--average-views", human);
    }

    [Fact]
    public void NoFiniteEpsilon_IsRefusedBeforeTheRunFolder_AndResumeRefusesRenamedClasses()
    {
        var data = GreyClassFolders("resume-classes", 28, "a", "b");
        var folder = Path.Combine(runs.Root, "resume-classes-run");
        var (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--noise-multiplier", "0.01", "--delta", "1e-3", "--epochs", "1", "--batch-size", "4", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("no finite ε", human);
        Assert.False(Directory.Exists(folder));

        (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", data, "--delta", "1e-3", "--epochs", "1", "--batch-size", "4", "--out", folder);
        Assert.True(code == 0, human);
        foreach (var part in new[] { "train", "test" })
        {
            Directory.Move(Path.Combine(data, part, "b"), Path.Combine(data, part, "0b")); // now sorts first: labels would shift
        }
        var ledgerBefore = File.ReadAllText(Path.Combine(folder, "ledger.json"));
        (code, human, _) = Run("train", "--resume", folder);
        Assert.Equal(1, code);
        var squeezed = System.Text.RegularExpressions.Regex.Replace(human, @"\s+", ""); // the console wraps long paths
        Assert.Contains("resume-classes-run/data.json", squeezed);
        Assert.Contains("classes[a,b]", squeezed);
        Assert.Equal(ledgerBefore, File.ReadAllText(Path.Combine(folder, "ledger.json")));
        Assert.Equal(["a", "b"], new Training.RunFolder(folder).LoadDataDescription().ClassNames);

        // Same classes, one image more: N changed, so the ledger's steps are another plan's; refused before any plan is printed.
        foreach (var part in new[] { "train", "test" })
        {
            Directory.Move(Path.Combine(data, part, "0b"), Path.Combine(data, part, "b"));
        }
        File.Copy(Path.Combine(data, "train", "a", "0.png"), Path.Combine(data, "train", "a", "extra.png"));
        (code, human, _) = Run("train", "--resume", folder);
        Assert.Equal(1, code);
        Assert.Contains("ledger", human);
        Assert.DoesNotContain("Privacy plan", human);
        Assert.Equal(ledgerBefore, File.ReadAllText(Path.Combine(folder, "ledger.json")));
    }

    [Fact]
    public void OwnData_Mistakes_GetMessagesThatSayWhatToDo_AndPredictTakesAFolder()
    {
        var small = GreyClassFolders("too-small", 12, "a", "b");
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", small, "--epochs", "1", "--batch-size", "4", "--out", small + "-run");
        Assert.Equal(1, code);
        Assert.Contains("--image-size", human);
        Assert.False(Directory.Exists(small + "-run"));

        var empty = GreyClassFolders("empty-class", 28, "a", "b");
        Directory.CreateDirectory(Path.Combine(empty, "train", "c"));
        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", empty, "--epochs", "1", "--batch-size", "4", "--out", empty + "-run");
        Assert.Equal(1, code);
        Assert.Contains("every class needs training examples", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));

        var data = GreyClassFolders("predict-folder", 28, "a", "b");
        var run = data + "-run";
        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--epochs", "1", "--batch-size", "4", "--out", run);
        Assert.True(code == 0, human);
        (code, human, var json) = Run("predict", run, Path.Combine(data, "test", "a"), Path.Combine(data, "test", "b", "0.png"), "--json");
        Assert.True(code == 0, human);
        Assert.Equal(5, json!.Value.GetProperty("predictions").GetArrayLength());
        Assert.EndsWith("0.png", json!.Value.GetProperty("predictions")[0].GetProperty("image").GetString());

        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", data, "--out", Path.Combine(run, "model.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains("isafile", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", ""));
        (code, human, _) = Run("report", run, "--out", run);
        Assert.Equal(1, code);
        Assert.Contains("isafolder", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", ""));

        var elsewhere = GreyClassFolders("predict-folder-copy", 28, "a", "b");
        (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", elsewhere, "--epochs", "1", "--batch-size", "4", "--out", elsewhere + "-run");
        Assert.True(code == 0, human);
        (code, human, _) = Run("evaluate", run, "--baseline", elsewhere + "-run");
        Assert.Equal(1, code);
        Assert.Contains("--data", human);
        (code, human, _) = Run("evaluate", run, "--baseline", elsewhere + "-run", "--data", data);
        Assert.True(code == 0, human);

        var other = GreyClassFolders("other-classes", 28, "a", "c");
        (code, human, _) = Run("evaluate", run, "--data", other);
        Assert.Equal(1, code);
        Assert.Contains("[a, c]", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
    }

    // DIR/{train,test}/CLASS/*.png: four uniform grey side×side images per class, class c at grey level 40 + 150c.
    private string GreyClassFolders(string name, int side, params string[] classes)
    {
        var data = Path.Combine(runs.Root, name);
        foreach (var part in new[] { "train", "test" })
        {
            for (var c = 0; c < classes.Length; c++)
            {
                Directory.CreateDirectory(Path.Combine(data, part, classes[c]));
                for (var i = 0; i < 4; i++)
                {
                    File.WriteAllBytes(Path.Combine(data, part, classes[c], $"{i}.png"), GreyPng(Enumerable.Repeat((byte)(40 + 150 * c), side * side).ToArray(), side, side));
                }
            }
        }
        return data;
    }

    // DIR/{train,test}/{a,b}/*.png: four side×side images per class, a brightening left to right, b top to bottom; image i is 10·i grey levels brighter.
    private string GradientClassFolders(string name, int side)
    {
        var data = Path.Combine(runs.Root, name);
        foreach (var part in new[] { "train", "test" })
        {
            foreach (var (label, across) in new[] { ("a", true), ("b", false) })
            {
                Directory.CreateDirectory(Path.Combine(data, part, label));
                for (var i = 0; i < 4; i++)
                {
                    var pixels = new byte[side * side];
                    for (var p = 0; p < pixels.Length; p++)
                    {
                        pixels[p] = (byte)(20 + 10 * i + 4 * (across ? p % side : p / side));
                    }
                    File.WriteAllBytes(Path.Combine(data, part, label, $"{i}.png"), GreyPng(pixels, side, side));
                }
            }
        }
        return data;
    }
}
