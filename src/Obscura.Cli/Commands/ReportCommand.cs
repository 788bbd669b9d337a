using System.CommandLine;
using Obscura.Training;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura report runs/NAME [--groups F] [--baseline runs/OTHER] [--out report.html]</c>: one
/// self-contained HTML file with the privacy statement in plain words, training curves, ε against
/// steps, accuracy per class and group, the confusion matrix, the membership-inference ROC and the
/// reconstruction bound. Written atomically (temporary file, then rename).
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var runPath = new Argument<string>("run") { Description = "Run folder written by obscura train." };
        var data = new Option<string?>("--data") { Description = "Data folder (default: the run's)." };
        var groups = new Option<string?>("--groups") { Description = "CSV with header index,group assigning every test example (by index) to a group." };
        var baseline = new Option<string?>("--baseline") { Description = "Another run folder (e.g. the non-private baseline) to show side by side." };
        var output = new Option<string?>("--out") { Description = "Where to write the HTML (default: RUN/report.html)." };
        var miaCount = new Option<int>("--mia-count") { Description = "Members (and as many non-members) scored by the attack.", DefaultValueFactory = _ => MembershipInference.DefaultCount };
        var seed = new Option<int>("--seed") { Description = "Seed of the member sample and the Monte Carlo bound.", DefaultValueFactory = _ => 0 };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("report", "Write a self-contained HTML report of a run: privacy in plain words, curves, fairness, attacks.");
        command.Arguments.Add(runPath);
        foreach (var o in new Option[] { data, groups, baseline, output, miaCount, seed, threads, blas, json })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            if (parse.GetValue(miaCount) < 1)
            {
                throw new UsageException($"--mia-count must be at least 1, got {parse.GetValue(miaCount)}.");
            }
            var options = new AnalysisOptions(MiaCount: parse.GetValue(miaCount), Seed: parse.GetValue(seed));
            var run = RunData.Analyse(parse.GetValue(runPath)!, parse.GetValue(data), parse.GetValue(groups), options);
            var other = parse.GetValue(baseline) is { } b
                ? RunData.Analyse(b, parse.GetValue(data), parse.GetValue(groups), options with { EpsilonPoints = 0 })
                : null;
            var file = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(run.Path, "report.html"));
            if (Directory.Exists(file))
            {
                throw new UsageException($"--out {parse.GetValue(output)} is a folder; give the HTML file to write, e.g. {Path.Combine(parse.GetValue(output)!, "report.html")}.");
            }
            RunFolder.WriteAtomically(file, HtmlReport.Render(run, other));
            context.Console.MarkupLine(run.Private ? Markup.Escape(PrivacyStatement.Headline(run)) : $"[yellow]{Markup.Escape(PrivacyStatement.Headline(run))}[/]");
            context.Console.MarkupLine($"Wrote [bold]{Markup.Escape(file)}[/]");
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, Summary(run, other, file));
            }
            return 0;
        });
        return command;
    }

    /// <summary>The key figures of the report, for the --json line.</summary>
    public static object Summary(RunAnalysis run, RunAnalysis? baseline, string file) => new
    {
        Report = file,
        Run = run.Path,
        run.Model,
        run.Private,
        TestAccuracy = run.Test.Accuracy,
        Epsilon = run.Privacy?.Epsilon,
        Delta = run.Privacy?.Delta,
        SamplingRate = run.Privacy?.SamplingRate,
        NoiseMultiplier = run.Privacy?.NoiseMultiplier,
        Steps = run.Privacy?.Steps,
        WorstClass = run.ByClass.Worst?.Name,
        WorstClassAccuracy = run.ByClass.Worst?.Accuracy,
        ClassGap = run.ByClass.Gap,
        WorstGroup = run.ByGroup?.Worst?.Name,
        WorstGroupAccuracy = run.ByGroup?.Worst?.Accuracy,
        GroupGap = run.ByGroup?.Gap,
        MiaAuc = run.Mia?.Auc,
        MiaTprAtFpr = run.Mia is { } m ? MiaAudit.TprAtFpr(m) : null,
        OneRunAudit = run.Audit is { } a ? new
        {
            a.Loss.Canaries,
            a.Loss.Guesses,
            LossBound = a.Loss.EpsilonLowerBound,
            LiraBound = a.Lira?.EpsilonLowerBound,
            LiraAuc = a.Lira?.Auc,
            a.Shadows,
        } : null,
        Reconstruction = run.Privacy?.Reconstruction.Select(r => new { r.Prior, Bound = r.SuccessProbability, r.StandardError }),
        Baseline = baseline is null ? null : new
        {
            Run = baseline.Path,
            baseline.Private,
            TestAccuracy = baseline.Test.Accuracy,
            Epsilon = baseline.Privacy?.Epsilon,
            MiaAuc = baseline.Mia?.Auc,
        },
    };
}
