using System.Text.Json;
using System.Xml.Linq;
using Obscura.Cli;
using Obscura.Report.Tests.Support;
using Spectre.Console;
using static Obscura.Report.Tests.Support.Pngs;
using static Obscura.Tests.Shared.CommandLine;

namespace Obscura.Report.Tests;

[Collection(TinyRunsCollection.Name)]
public sealed class CommandTests(TinyRuns runs)
{
    [Fact]
    public void Report_WritesOneParsableHtmlFileAndEndsWithItsKeyFigures()
    {
        var file = Path.Combine(runs.Root, "out", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var (code, human, json) = Run("report", runs.Private.Path, "--groups", runs.GroupsFile, "--baseline", runs.NonPrivate.Path, "--out", file, "--json");
        Assert.True(code == 0, human);
        Assert.Contains("trained with differential privacy", human);
        XDocument.Parse(File.ReadAllText(file));
        Assert.Contains("Test accuracy against steps", File.ReadAllText(file)); // no validation split: the curve scored the test set
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp-*"));
        var j = json!.Value;
        Assert.Equal(file, j.GetProperty("report").GetString());
        Assert.True(j.GetProperty("private").GetBoolean());
        Assert.True(j.GetProperty("epsilon").GetDouble() > 0);
        Assert.InRange(j.GetProperty("mia_auc").GetDouble(), 0, 1);
        Assert.Equal(3, j.GetProperty("reconstruction").GetArrayLength());
        Assert.False(j.GetProperty("baseline").GetProperty("private").GetBoolean());
        Assert.Equal(JsonValueKind.String, j.GetProperty("worst_group").ValueKind);
    }

    [Fact]
    public void Report_DefaultsToTheRunFolder()
    {
        var (code, human, _) = Run("report", runs.NonPrivate.Path, "--mia-count", "20");
        Assert.True(code == 0, human);
        Assert.Contains("NON-PRIVATE", human);
        Assert.True(File.Exists(Path.Combine(runs.NonPrivate.Path, "report.html")));
    }

    [Fact]
    public void Evaluate_WithGroupsAndBaseline_ShowsBothRunsSideBySide()
    {
        var (code, human, json) = Run("evaluate", runs.Private.Path, "--groups", runs.GroupsFile, "--baseline", runs.NonPrivate.Path, "--json");
        Assert.True(code == 0, human);
        Assert.Contains("left-handed", human);
        Assert.Contains("np: tanh-cnn (NON-PRIVATE baseline)", human);
        Assert.Contains("difference", human);
        Assert.Contains("best − worst gap", human);
        var j = json!.Value;
        Assert.Equal(10, j.GetProperty("per_class_accuracy").GetArrayLength());
        Assert.Equal(2, j.GetProperty("groups").GetProperty("groups").GetArrayLength());
        Assert.Equal(2, j.GetProperty("baseline").GetProperty("groups").GetProperty("groups").GetArrayLength());
        Assert.True(j.GetProperty("groups").GetProperty("gap").GetDouble() >= 0);
        Assert.Equal("pld", j.GetProperty("accountant").GetString());
        Assert.True(j.GetProperty("noise_multiplier").GetDouble() > 0);
        Assert.InRange(j.GetProperty("sampling_rate").GetDouble(), 1e-9, 1);
        Assert.True(j.GetProperty("steps").GetInt64() > 0);
        Assert.True(j.GetProperty("clip_norm").GetDouble() > 0);
    }

    [Fact]
    public void Evaluate_BadGroupsFile_FailsNamingFileAndLine()
    {
        var bad = Path.Combine(runs.Root, "bad-groups.csv");
        File.WriteAllText(bad, "index,group\n0,a\n0,b\n");
        var (code, human, _) = Run("evaluate", runs.Private.Path, "--groups", bad);
        Assert.Equal(1, code);
        Assert.Contains("bad-groups.csv line 3", human.Replace("\n", ""));
    }

    [Fact]
    public void AuditMia_ReportsAucTprAndTheReconstructionBound()
    {
        var (code, human, json) = Run("audit", runs.Private.Path, "--mia", "--json");
        Assert.True(code == 0, human);
        Assert.Contains("Reconstruction bound", human);
        var j = json!.Value;
        Assert.Equal(TinyRuns.TestCount, j.GetProperty("members").GetInt32());
        Assert.InRange(j.GetProperty("auc").GetDouble(), 0, 1);
        Assert.True(j.GetProperty("tpr_at_fpr").TryGetProperty("0.001", out _));
        Assert.Equal(3, j.GetProperty("reconstruction").GetArrayLength());
    }

    [Fact]
    public void AuditSelfTest_StillRunsWithoutARun()
    {
        var (code, human, json) = Run("audit", "--self-test", "--trials", "200", "--json");
        Assert.True(code is 0 or 2, human);
        Assert.Contains("Self-test", human);
        Assert.True(json!.Value.TryGetProperty("passed", out _));
    }

    [Fact]
    public void Audit_OfARunWithoutCanaries_FailsNamingTheRunFolder()
    {
        var (code, human, _) = Run("audit", runs.Private.Path);
        Assert.Equal(1, code);
        var text = human.Replace("\n", "");
        Assert.Contains(runs.Private.Path, text);
        Assert.Contains("no canaries", text);
        Assert.Contains("--mia", text);
    }

    [Fact]
    public void AuditSelfTest_WithARun_IsRefusedInsteadOfIgnoringTheRun()
    {
        var (code, human, _) = Run("audit", runs.Private.Path, "--self-test", "--trials", "200");
        Assert.Equal(1, code);
        var text = human.Replace("\n", "");
        Assert.Contains(runs.Private.Path, text);
        Assert.DoesNotContain("Self-test passed", text);
    }

    [Fact]
    public void Audit_WithoutARunOrSelfTest_IsAUsageError()
    {
        var (code, human, _) = Run("audit");
        Assert.Equal(1, code);
        Assert.Contains("--self-test", human);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("151")] // more than the 150 training examples left after the validation split
    public void Train_NegativeOrTooManyCanaries_AreRefusedBeforeAnyRunFolderExists(string count)
    {
        var folder = Path.Combine(runs.Root, "refused-" + count);
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", runs.DataDir, "--validation-size", "50",
            "--canaries", count, "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("--canaries", human);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void TrainWithCanaries_ThenAudit_ReportsBothBounds_AndResumeKeepsTheRecordedCoins()
    {
        var folder = Path.Combine(runs.Root, "canaries");
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", runs.DataDir, "--validation-size", "50",
            "--epochs", "3", "--batch-size", "32", "--canaries", "40", "--out", folder);
        Assert.True(code == 0, human);
        Assert.Contains("Validation accuracy", human); // scored on the split carved from the training set, and labelled so
        Assert.DoesNotContain("Test accuracy", human);
        var set = Training.Auditing.CanarySet.Load(Path.Combine(folder, "canaries.json"));
        Assert.Equal(150, set.RealCount); // drawn from the training part only: no canary is ever validated on
        var included = set.IncludedIndices.Length;
        Assert.Contains($"N = 150 + {included}", human.Replace("\n", ""));

        (code, human, var json) = Run("audit", folder, "--lira", "2", "--guesses", "10", "--json");
        Assert.True(code == 0, human);
        Assert.Contains("2 shadow models trained with decoys", human.Replace("\n", " ").Replace("  ", " "));
        var j = json!.Value;
        Assert.Equal(40, j.GetProperty("canaries").GetInt32());
        Assert.Equal(included, j.GetProperty("members").GetInt32());
        Assert.Equal(10, j.GetProperty("guesses").GetInt32());
        Assert.False(j.GetProperty("private").GetBoolean());
        Assert.True(j.GetProperty("loss").GetProperty("epsilon_lower_bound").GetDouble() >= 0);
        Assert.InRange(j.GetProperty("lira").GetProperty("auc").GetDouble(), 0, 1);
        Assert.True(File.Exists(Path.Combine(folder, "audit.json")));

        (code, human, json) = Run("report", folder, "--mia-count", "20", "--json");
        Assert.True(code == 0, human);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("Measured with canaries", html);
        Assert.Contains("Validation accuracy against steps", html); // the training curve scored the validation split
        Assert.DoesNotContain("Test accuracy against steps", html);
        Assert.Equal(40, json!.Value.GetProperty("one_run_audit").GetProperty("canaries").GetInt32());

        // Resuming reads the coins from canaries.json (here all flipped), never a fresh draw from the seed.
        var flipped = set with { Canaries = set.Canaries.Select(c => c with { Included = !c.Included }).ToArray() };
        flipped.Save(Path.Combine(folder, "canaries.json"));
        (code, human, _) = Run("train", "--resume", folder);
        Assert.True(code == 0, human);
        Assert.Contains($"N = 150 + {40 - included}", human.Replace("\n", ""));
        (code, human, _) = Run("train", "--resume", folder, "--canaries", "41");
        Assert.Equal(1, code);
        Assert.Contains("keeps them", human.Replace("\n", ""));
    }

    [Fact]
    public void Train_FineTunesFromWeightsTrainedOnOtherData_AndRefusesWeightsTrainedOnTheSameData()
    {
        var refused = Path.Combine(runs.Root, "finetune-same-data");
        var (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", runs.DataDir, "--init-from", runs.NonPrivate.Path, "--out", refused);
        Assert.Equal(1, code);
        Assert.Contains("trained without privacy", human.Replace("\n", " "));
        Assert.False(Directory.Exists(refused));

        var other = Path.Combine(runs.Root, "data-copy"); // the same images under another folder stand in for other data
        Directory.CreateDirectory(other);
        foreach (var file in Directory.GetFiles(runs.DataDir))
        {
            File.Copy(file, Path.Combine(other, Path.GetFileName(file)), overwrite: true);
        }
        var folder = Path.Combine(runs.Root, "finetune");
        (code, human, var json) = Run("train", "--model", "tanh-cnn", "--data", other, "--validation-size", "50", "--init-from", runs.NonPrivate.Path,
            "--freeze", "features", "--epochs", "1", "--batch-size", "32", "--delta", "1e-3", "--out", folder, "--json");
        Assert.True(code == 0, human);
        var flat = human.Replace("\n", " ").Replace("  ", " ");
        Assert.Contains("16,746 of 26,010 parameters trained, frozen: features", flat);
        Assert.Contains("treats those weights as public", flat);
        Assert.Equal(runs.NonPrivate.WeightsFile, new Training.RunFolder(folder).LoadConfig().InitialWeights!.File);
        Assert.True(json!.Value.GetProperty("epsilon").GetDouble() <= 3.0 + 1e-9);

        (code, human, _) = Run("train", "--resume", folder, "--freeze", "fc1");
        Assert.Equal(1, code);
        Assert.Contains("--freeze", human);
    }

    [Fact]
    public void Predict_GivesEachPngTheClassTheModelGivesThatTestImage_AndRefusesOtherShapes()
    {
        var folder = Path.Combine(runs.Root, "predict");
        Directory.CreateDirectory(folder);
        var test = runs.Test;
        var files = Enumerable.Range(0, 6).Select(i =>
        {
            // The test set holds (b / 255 − mean) / std; recover the bytes b exactly.
            var bytes = test.Image(i).ToArray().Select(x => (byte)Math.Round((x * Data.FashionMnist.Std + Data.FashionMnist.Mean) * 255)).ToArray();
            var file = Path.Combine(folder, $"test-{i}.png");
            File.WriteAllBytes(file, GreyPng(bytes, 28, 28));
            return file;
        }).ToArray();
        var (code, human, json) = Run(["predict", runs.Private.Path, .. files, "--top", "2", "--json"]);
        Assert.True(code == 0, human);
        Assert.Contains("trained with differential privacy", System.Text.RegularExpressions.Regex.Replace(human, @"\s+", " "));
        Assert.True(json!.Value.GetProperty("private").GetBoolean());
        var ledger = Privacy.Ledger.PrivacyLedger.Load(runs.Private.LedgerFile);
        var ledgerEpsilon = Training.LedgerAccounting.Epsilon(ledger, ledger.Entries[^1].Delta, Privacy.AccountantKind.Pld);
        Assert.Equal(ledgerEpsilon, json!.Value.GetProperty("epsilon").GetDouble(), 9);
        // A copy of the run whose result.json claims another ε: predict still prints the ledger's.
        var copy = Path.Combine(folder, "tampered-run");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(runs.Private.Path))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        var resultFile = Path.Combine(copy, "result.json");
        File.WriteAllText(resultFile, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(resultFile), "\"epsilon\": [0-9.eE+-]+", "\"epsilon\": 0.5"));
        Assert.Contains("\"epsilon\": 0.5", File.ReadAllText(resultFile));
        (code, human, var tamperedJson) = Run(["predict", copy, files[0], "--json"]);
        Assert.True(code == 0, human);
        Assert.Equal(ledgerEpsilon, tamperedJson!.Value.GetProperty("epsilon").GetDouble(), 9);

        var model = Training.Reports.RunAnalysis.LoadModel(runs.Private, runs.Private.LoadConfig(), test);
        var logits = model.Forward(Tensors.Tensor.FromArray(test.Pixels[..(6 * 784)].ToArray(), [6, 1, 28, 28]));
        var predictions = json!.Value.GetProperty("predictions");
        for (var i = 0; i < files.Length; i++)
        {
            var row = logits.Span.Slice(i * 10, 10).ToArray();
            var expected = Data.FashionMnist.ClassNames[Array.IndexOf(row, row.Max())];
            Assert.Equal(expected, predictions[i].GetProperty("class").GetString());
            Assert.Equal(2, predictions[i].GetProperty("top").GetArrayLength());
        }

        var small = Path.Combine(folder, "small.png");
        File.WriteAllBytes(small, GreyPng(new byte[27 * 27], 27, 27));
        (code, human, _) = Run("predict", runs.Private.Path, small);
        Assert.Equal(1, code);
        Assert.Contains("27×27", human);
        Assert.Contains("small.png", human);
    }

    [Fact]
    public void SweepTable_ShowsTheEpsilonEachRunsLedgerAccounts_BesideItsTarget()
    {
        Training.TrainResult Result(double? epsilon) => new("scatter-linear", 39_700, 0.9, 60, 440, 30, 1000, "native", epsilon is not null,
            epsilon, epsilon is null ? null : 1e-5, epsilon is null ? null : 4.1, epsilon is null ? null : 0.1365, 0.1, "pld", 0, "runs/x", true);
        var table = Cli.Commands.SweepCommand.Table("best", 1e-5, [(3.0, Result(2.5)), (null, Result(null))]);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ε spent", rows[0]);
        Assert.StartsWith("| best | 3 | 2.500 | 4.100 |", rows[2]);
        Assert.StartsWith("| best | non-private | — | — |", rows[3]);
    }

    [Theory]
    [InlineData("--lr", "-1")]
    [InlineData("--momentum", "2")]
    [InlineData("--weight-decay", "-1")]
    [InlineData("--ema-decay", "1.5")]
    [InlineData("--augmult", "0")]
    [InlineData("--optimizer", "foo")]
    [InlineData("--physical-batch", "0")]
    [InlineData("--crop-padding", "-1")]
    [InlineData("--validation-size", "-5")]
    public void Train_OutOfRangeSetting_IsRefusedByItsFlag_BeforeAnyRunFolderExists(string flag, string value)
    {
        var folder = Path.Combine(runs.Root, "refused" + flag + value);
        var (code, human, _) = Run("train", "--model", "tanh-cnn", "--data", runs.DataDir, flag, value, "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains(flag + " must", human);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Train_TestImagesOfAnotherShape_AreRefusedBeforeTraining()
    {
        var dir = Path.Combine(runs.Root, "reshaped-data");
        Directory.CreateDirectory(dir);
        foreach (var file in new[] { Data.FashionMnist.TrainImagesFile, Data.FashionMnist.TrainLabelsFile, Data.FashionMnist.TestLabelsFile })
        {
            File.Copy(Path.Combine(runs.DataDir, file), Path.Combine(dir, file), overwrite: true);
        }
        // The same bytes per image, declared as 14×56.
        File.WriteAllBytes(Path.Combine(dir, Data.FashionMnist.TestImagesFile),
            TinyRuns.Idx([TinyRuns.TestCount, 14, 56], new byte[TinyRuns.TestCount * 784]));
        var folder = Path.Combine(runs.Root, "reshaped-run");
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", dir, "--epochs", "1", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("1×14×56", human);
        Assert.Contains(Data.FashionMnist.TestImagesFile, human.Replace("\n", ""));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void ParseError_SaysWhatToType_AndPointsAtTheSubcommandsHelp()
    {
        var (code, human, _) = Run("train", "--epsilon", "abc");
        Assert.Equal(1, code);
        Assert.Contains("'--epsilon' as a number", human);
        Assert.DoesNotContain("System.", human);
        Assert.Contains("obscura train --help", human);
    }

    [Theory]
    [InlineData("--epsilon", "3")]
    [InlineData("--delta", "1e-6")]
    [InlineData("--clip-norm", "1")]
    public void TrainNonPrivate_RefusesPrivacyOnlyFlags(string flag, string value)
    {
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", runs.DataDir, flag, value);
        Assert.Equal(1, code);
        Assert.Contains("--non-private cannot be combined with " + flag, human.Replace("\n", ""));
    }

    [Fact]
    public void TrainResume_RefusesFlagsThatWouldChangeTheSavedSettings()
    {
        var (code, human, _) = Run("train", "--resume", runs.Private.Path, "--epsilon", "8");
        Assert.Equal(1, code);
        Assert.Contains("--epsilon", human);
        Assert.Contains("keeps the settings", human.Replace("\n", ""));
    }

    [Fact]
    public void Train_OutFolderThatCannotBeWritten_IsAnErrorNotACrash()
    {
        var parent = Path.Combine(runs.Root, "read-only");
        Directory.CreateDirectory(parent);
        File.WriteAllText(Path.Combine(parent, "blocker"), "");
        // A folder that cannot be created because a file stands where its parent should be.
        var (code, human, _) = Run("train", "--non-private", "--model", "tanh-cnn", "--data", runs.DataDir, "--validation-size", "50",
            "--epochs", "1", "--out", Path.Combine(parent, "blocker", "run"));
        Assert.Equal(1, code);
        Assert.Contains("error:", human);
    }

    [Fact]
    public void Bench_ScatterModel_IsTimedOnTheScatteringOfTheImageShape()
    {
        var (code, human, _) = Run("bench", "--model", "scatter-linear", "--batch-size", "8", "--steps", "1", "--warmup", "0");
        Assert.True(code == 0, human);
        Assert.Contains("examples/s", human);
    }

    [Fact]
    public void Train_RefusesPixelAugmentationOfScatterFeatures()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"obscura-augmult-{Guid.NewGuid():N}");
        var (code, human, _) = Run("train", "--recipe", "scatter-linear", "--augmult", "2", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("--augmult 2", human);
        Assert.Contains("ScatterNet", human);
        Assert.False(Directory.Exists(folder), "a refused run leaves no folder behind");
    }

    [Fact]
    public void Train_NamesTheModelFlag_WhenTheModelIsUnknown()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"obscura-model-{Guid.NewGuid():N}");
        var (code, human, _) = Run("train", "--model", "scatter-linearx", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains("--model must be one of", human);
        Assert.Contains("scatter-multiscale-linear", human);
        Assert.False(Directory.Exists(folder), "a refused run leaves no folder behind");
    }
}
