using Obscura.Data;
using Obscura.Training;
using Obscura.Training.Reports;

namespace Obscura.Cli.Commands;

/// <summary>Loads what the evaluate, audit and report commands analyse a saved run on.</summary>
public static class RunData
{
    /// <summary>
    /// The run's test set and, when <paramref name="withTrain"/>, the examples it trained on (with
    /// a validation split, the training part only), from <paramref name="dataDir"/> or the run's data folder.
    /// </summary>
    public static (ImageDataset? Train, ImageDataset Test) Load(RunFolder run, string? dataDir, bool withTrain)
    {
        var config = run.LoadConfig();
        var dir = dataDir ?? config.DataDir;
        var train = withTrain ? TrainingData.Load(config with { DataDir = dir }).Train : null;
        var test = TrainingData.LoadTest(config with { DataDir = dir });
        if (dataDir is not null && File.Exists(run.DataFile))
        {
            // Labels are class positions: other classes would be scored against the wrong names.
            var trained = run.LoadDataDescription().ClassNames;
            var given = test.ClassNames?.ToArray() ?? Enumerable.Range(0, test.ClassCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (!trained.SequenceEqual(given))
            {
                throw new InvalidDataException($"--data {dataDir}: its classes [{string.Join(", ", given)}] are not the [{string.Join(", ", trained)}] the run in {run.Path} was trained on (its data.json).");
            }
        }
        return (train, test);
    }

    /// <summary>Loads and analyses one run; the groups file is read against its test set.</summary>
    public static RunAnalysis Analyse(string path, string? dataDir, string? groupsFile, AnalysisOptions options)
    {
        var run = new RunFolder(path);
        run.LoadConfig(); // a clear error for a folder that is not a run, before any data is read
        var (train, test) = Load(run, dataDir, options.MembershipInference);
        var groups = groupsFile is null ? null : GroupAssignment.Load(groupsFile, test.Count);
        return RunAnalysis.Analyse(run, train, test, options with { Groups = groups });
    }
}
