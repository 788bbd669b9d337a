using System.CommandLine;
using System.Globalization;
using System.Text;
using Obscura.Training;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura sweep --epsilons 1,2,3,8 --recipe R</c>: one private run per ε plus the recipe's
/// non-private run as the reference, then a table (sweep.md) and a chart (sweep.svg) of test
/// accuracy against ε in the output folder.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliContext context)
    {
        var epsilons = new Option<string>("--epsilons") { Description = "Comma-separated targets ε.", DefaultValueFactory = _ => "1,2,3,8" };
        var recipe = new Option<string>("--recipe") { Description = "Recipe to train at each ε.", DefaultValueFactory = _ => "best" };
        var delta = new Option<double>("--delta") { Description = "δ of every run.", DefaultValueFactory = _ => 1e-5 };
        var allowLargeDelta = new Option<bool>("--allow-large-delta") { Description = "Accept δ ≥ 1/N (a weak guarantee) for every run." };
        var dataOptions = new DataOptions();
        var data = dataOptions.Data;
        var seed = new Option<int>("--seed") { Description = "Seed of every run.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for the runs, the table and the chart (default runs/sweep-<recipe>-<time>)." };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("sweep", "Train one model per ε and chart test accuracy against ε, with the non-private accuracy as reference.");
        Option[] options = [epsilons, recipe, delta, allowLargeDelta, .. dataOptions.All, seed, output, threads, blas, json];
        foreach (var o in options)
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            var targets = ParseEpsilons(parse.GetValue(epsilons)!);
            var name = parse.GetValue(recipe)!;
            Recipes.For(name, isPrivate: true); // an unknown recipe is refused before anything is created
            var runDelta = parse.GetValue(delta);
            if (!(runDelta > 0 && runDelta < 1))
            {
                throw new UsageException($"--delta must be in (0, 1), got {runDelta}.");
            }
            if (!Directory.Exists(parse.GetValue(data)))
            {
                throw new UsageException($"--data {parse.GetValue(data)}: no such folder.");
            }
            var imageSize = dataOptions.ImageSizeOf(parse);
            var standardisation = dataOptions.StandardisationOf(parse, Recipes.For(name, isPrivate: true).Model);
            // The folder appears with its first run, after that run's settings are checked: a refused sweep leaves nothing.
            var folder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", $"sweep-{name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
            var rows = new List<(double? Epsilon, TrainResult Result)>();
            foreach (var epsilon in targets.Cast<double?>().Append(null))
            {
                var r = Recipes.For(name, epsilon is not null, epsilon);
                var privacy = epsilon is { } e ? new PrivacyConfig(e, null, runDelta, r.ClipNorm, AllowLargeDelta: parse.GetValue(allowLargeDelta)) : null;
                var config = new TrainConfig(r.Model, Path.GetFullPath(parse.GetValue(data)!), r.BatchSize, r.Epochs, privacy,
                    new PerformanceConfig(r.PhysicalBatch), r.Optimizer, r.Augmult, true, 2, r.EmaDecay, parse.GetValue(seed), 0, r.Name)
                {
                    ImageSize = imageSize,
                    Standardisation = standardisation,
                    ScatterCompression = FeatureFrontEnd.CompressionFor(r.Model),
                    PerImageStandardisation = dataOptions.PerImageOf(parse, r),
                    AverageViews = r.AverageViews,
                };
                var run = new RunFolder(Path.Combine(folder, epsilon is { } x ? $"eps-{x.ToString(CultureInfo.InvariantCulture)}" : "non-private"));
                context.Console.MarkupLine($"[bold]sweep[/]: {(epsilon is { } y ? $"ε = {y}" : "non-private reference")}");
                var (exitCode, result) = TrainSession.Run(context, config, run, json: false);
                if (exitCode != 0)
                {
                    // An unfinished run's accuracy and ε are not those of its row: write no table or chart.
                    context.Console.MarkupLine($"[yellow]Sweep stopped[/]: the run in {Markup.Escape(run.Path)} did not finish; run the same sweep with --out {Markup.Escape(folder)} to continue it.");
                    return exitCode;
                }
                rows.Add((epsilon, result));
            }
            RunFolder.WriteAtomically(Path.Combine(folder, "sweep.md"), Table(name, runDelta, rows));
            RunFolder.WriteAtomically(Path.Combine(folder, "sweep.svg"), Chart(name, rows));
            context.Console.MarkupLine($"Table: {Markup.Escape(Path.Combine(folder, "sweep.md"))}; chart: {Markup.Escape(Path.Combine(folder, "sweep.svg"))}");
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    Recipe = name,
                    Folder = folder,
                    Runs = rows.Select(r => new { TargetEpsilon = r.Epsilon, r.Result.Epsilon, r.Result.TestAccuracy, r.Result.NoiseMultiplier, r.Result.Seconds }),
                });
            }
            return 0;
        });
        return command;
    }

    private static double[] ParseEpsilons(string text)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
                ? v : throw new UsageException($"--epsilons must be positive numbers separated by commas, got '{s}'."))
            .ToArray();
        if (values.Distinct().Count() != values.Length)
        {
            throw new UsageException($"--epsilons lists a value twice ('{text}'): each ε gets one run.");
        }
        return values.Length > 0 ? values : throw new UsageException("--epsilons needs at least one value.");
    }

    /// <summary>The sweep's markdown table: one row per run, its target ε beside the ε its ledger accounts.</summary>
    public static string Table(string recipe, double delta, List<(double? Epsilon, TrainResult Result)> rows)
    {
        // ε is what the run's ledger accounts (PLD over every recorded step), not the target it was calibrated for.
        var text = new StringBuilder($"| recipe | target ε | ε spent (δ = {PrivacyStatement.Delta(delta)}, PLD) | σ | test accuracy | seconds |\n|---|---|---|---|---|---|\n");
        foreach (var (epsilon, r) in rows)
        {
            var spent = r.Epsilon is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "—";
            text.Append(CultureInfo.InvariantCulture, $"| {recipe} | {(epsilon is { } e ? e.ToString(CultureInfo.InvariantCulture) : "non-private")} | {(epsilon is null ? "—" : spent)} | {(r.NoiseMultiplier is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "—")} | {r.TestAccuracy * 100:F2}% | {r.Seconds:F0} |\n");
        }
        return text.ToString();
    }

    private static string Chart(string recipe, List<(double? Epsilon, TrainResult Result)> rows)
    {
        var points = rows.Where(r => r.Epsilon is not null).ToList();
        var xs = points.Select(p => p.Epsilon!.Value).ToList();
        var series = new List<ChartSeries> { new($"{recipe}, private", xs, points.Select(p => p.Result.TestAccuracy).ToList(), "#1f77b4") };
        if (rows.FirstOrDefault(r => r.Epsilon is null) is { Result: { } reference })
        {
            series.Add(new ChartSeries("non-private", [xs.Min(), xs.Max()], [reference.TestAccuracy, reference.TestAccuracy], "#ff7f0e", Dashed: true));
        }
        return SvgChart.Line($"Test accuracy against ε ({recipe})", new ChartAxis("ε"), new ChartAxis("test accuracy", Percent: true), series);
    }
}
