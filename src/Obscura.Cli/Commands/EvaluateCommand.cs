using System.CommandLine;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura evaluate runs/NAME [--groups F] [--baseline runs/OTHER]</c>: accuracy overall, per
/// class and per user-given group (worst group, best-minus-worst gap), with a (usually
/// non-private) baseline run side by side.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var runPath = new Argument<string>("run") { Description = "Run folder written by obscura train." };
        var data = new Option<string?>("--data") { Description = "Data folder (default: the run's)." };
        var groups = new Option<string?>("--groups") { Description = "CSV with header index,group assigning every test example (by index) to a group." };
        var baseline = new Option<string?>("--baseline") { Description = "Another run folder (e.g. the non-private baseline) to show side by side." };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("evaluate", "Evaluate a trained run on the test set: per class, per group, against a baseline.");
        command.Arguments.Add(runPath);
        foreach (var o in new Option[] { data, groups, baseline, threads, blas, json })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            var options = new AnalysisOptions(MembershipInference: false, Reconstruction: false, EpsilonPoints: 0);
            var result = RunData.Analyse(parse.GetValue(runPath)!, parse.GetValue(data), parse.GetValue(groups), options);
            var other = parse.GetValue(baseline) is { } b ? RunData.Analyse(b, parse.GetValue(data), parse.GetValue(groups), options) : null;
            if (other is not null && parse.GetValue(data) is null
                && Path.GetFullPath(other.Config.DataDir).TrimEnd('/') != Path.GetFullPath(result.Config.DataDir).TrimEnd('/'))
            {
                // Side by side only on one test set: each run's own would make the differences meaningless.
                throw new UsageException($"--baseline {other.Path} was trained on {other.Config.DataDir}, {result.Path} on {result.Config.DataDir}; "
                    + "give --data to score both on the same test set.");
            }
            var console = context.Console;
            foreach (var r in other is null ? [result] : new[] { result, other })
            {
                console.MarkupLine($"{Markup.Escape(r.Name)}: {Markup.Escape(r.Model)}{Describe(r)}: test accuracy [bold]{r.Test.Accuracy:P2}[/] on {r.Test.Count:N0} examples{(r.Config.AverageViews ? $", predictions averaged over {Obscura.Training.ViewAveraging.ViewCount} views of each" : "")}");
            }
            console.Write(FairnessTables.Create(result.ByClass, Label(result), other?.ByClass, other is null ? null : Label(other)));
            if (result.ByGroup is { } byGroup)
            {
                console.Write(FairnessTables.Create(byGroup, Label(result), other?.ByGroup, other is null ? null : Label(other)));
            }
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    result.Model,
                    result.Private,
                    TestAccuracy = result.Test.Accuracy,
                    Examples = result.Test.Count,
                    PerClassAccuracy = result.ByClass.Groups.Select(g => g.Accuracy).ToArray(),
                    Confusion = ToJagged(result.Test.Confusion()),
                    Epsilon = result.Privacy?.Epsilon,
                    Delta = result.Privacy?.Delta,
                    NoiseMultiplier = result.Privacy?.NoiseMultiplier,
                    SamplingRate = result.Privacy?.SamplingRate,
                    Steps = result.Privacy?.Steps,
                    ClipNorm = result.Privacy?.ClipNorm,
                    Accountant = result.Privacy is null ? null : "pld",
                    Classes = FairnessTables.Json(result.ByClass),
                    Groups = result.ByGroup is null ? null : FairnessTables.Json(result.ByGroup),
                    Baseline = other is null ? null : new
                    {
                        other.Model,
                        other.Private,
                        TestAccuracy = other.Test.Accuracy,
                        Epsilon = other.Privacy?.Epsilon,
                        Classes = FairnessTables.Json(other.ByClass),
                        Groups = other.ByGroup is null ? null : FairnessTables.Json(other.ByGroup),
                    },
                });
            }
            return 0;
        });
        return command;
    }

    private static string Describe(RunAnalysis r) => r.Privacy is { } p
        ? $" (private: ε = {p.Epsilon:0.##} at δ = {p.Delta:G3})"
        : r.Private ? "" : " [yellow](NON-PRIVATE baseline)[/]";

    private static string Label(RunAnalysis r) => r.Private ? r.Name : $"{r.Name} (non-private)";

    private static long[][] ToJagged(long[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();
}
