using System.CommandLine;
using System.Globalization;
using Obscura.Training;
using Obscura.Training.Auditing;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura audit runs/NAME [--lira S] [--guesses R]</c>: the one-run audit of a run trained
/// with <c>--canaries M</c> (<see cref="RunAudit"/>): the ε lower bound from guessing which
/// canaries were trained on, by the loss score and, with S shadow models, by offline LiRA, next to
/// the run's accounted ε; ROC AUC and TPR at FPR 0.1% and 1% of both scores over the canaries.
/// </summary>
public static class CanaryAudit
{
    public sealed record OptionSet(Option<int> Lira, Option<int?> Guesses, Option<double> Confidence)
    {
        public Option[] All => [Lira, Guesses, Confidence];
    }

    public static OptionSet Options() => new(
        new Option<int>("--lira") { Description = "Train (or reuse) S shadow models under RUN/shadows/ and add the offline LiRA score (S ≥ 2; 0 = loss score only).", DefaultValueFactory = _ => 0 },
        new Option<int?>("--guesses") { Description = "r, canaries guessed (half 'in' for the highest scores, half 'out' for the lowest); default M/5." },
        new Option<double>("--confidence") { Description = "Confidence of the ε lower bound.", DefaultValueFactory = _ => 0.95 });

    public static int Invoke(CliContext context, ParseResult parse, string path, OptionSet o, double nonPrivateDelta, string? dataDir, bool json)
    {
        var shadows = parse.GetValue(o.Lira);
        if (shadows is < 0 or 1)
        {
            throw new UsageException($"--lira must be 0 or at least 2 shadow models (the OUT variance needs two), got {shadows}.");
        }
        var options = new RunAudit.Options(parse.GetValue(o.Guesses), shadows, parse.GetValue(o.Confidence), nonPrivateDelta, dataDir);
        var console = context.Console;
        var notes = new List<string>();
        using var cancel = new StopSignals();
        RunAudit.Result result;
        try
        {
            result = shadows == 0
                ? RunAudit.Run(new RunFolder(path), options, log: notes.Add, cancel: cancel.Token)
                : console.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx => RunAudit.Run(new RunFolder(path), options, log: notes.Add, cancel: cancel.Token, shadowProgress: k =>
                    {
                        var task = ctx.AddTask($"shadow {k + 1}/{shadows}", maxValue: 1);
                        return new InlineProgress(p =>
                        {
                            task.MaxValue = p.Steps;
                            task.Value = p.Step;
                            task.Description = $"shadow {k + 1}/{shadows}: epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.Steps} loss {p.Loss:F3}";
                        });
                    }));
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine($"[yellow]Interrupted[/]: shadow checkpoints are kept; run the same audit again to continue.");
            return ExitCodes.Interrupted;
        }
        foreach (var note in notes)
        {
            console.MarkupLine(Markup.Escape(note));
        }
        Print(console, result);
        if (json)
        {
            JsonLine.Write(context.Out, Json(result));
        }
        return 0;
    }

    private static void Print(IAnsiConsole console, RunAudit.Result r)
    {
        var l = r.Loss;
        var c = CultureInfo.InvariantCulture;
        console.MarkupLine(r.Private
            ? $"[bold]{Markup.Escape(r.Run)}[/]: private, accounted ε = {r.AccountedEpsilon:F3} at δ = {PrivacyStatement.Delta(r.Delta)} (PLD, from the ledger)"
            : $"[bold]{Markup.Escape(r.Run)}[/]: [yellow]NON-PRIVATE[/] (no accounted ε); bounds stated at δ = {PrivacyStatement.Delta(r.Delta)}");
        console.MarkupLine($"Canaries: {l.Canaries:N0} {r.Kind.ToString().ToLowerInvariant()}, {l.Members:N0} trained on, {l.NonMembers:N0} left out (N = {r.RealExamples:N0} + {l.Members:N0}).");
        var table = new Table().AddColumns("score", "canaries", "guesses (in+out)", "correct", $"ε ≥ ({l.Confidence.ToString("0.#%", c)})", "accounted ε", "AUC", "TPR@0.1%FPR", "TPR@1%FPR");
        foreach (var a in new[] { l, r.Lira }.OfType<CanaryAttack>())
        {
            table.AddRow(a.Score == "lira" ? "LiRA" : "loss", $"{a.Canaries:N0}", $"{a.Guesses} ({a.GuessesIn} + {a.GuessesOut})", $"{a.Correct}",
                $"{a.EpsilonLowerBound:F3}", r.AccountedEpsilon is { } e ? $"{e:F3}" : "∞ (non-private)",
                Format(a.Auc, "F4"), Format(a.TprAt0_1Percent, "P2"), Format(a.TprAt1Percent, "P2"));
        }
        console.Write(table);
        console.MarkupLine($"One-run audit (Steinke, Nasr and Jagielski 2023): with probability ≥ {l.Confidence:P0} over the canary coins, the run is not (ε, δ)-DP for any ε below the bound. "
            + "A bound far below the accounted ε does not show the accountant is loose: these are weak attacks on one run.");
        console.MarkupLine($"ROC: members = canaries trained on, non-members = the {l.NonMembers:N0} left out. TPR at 0.1% FPR allows {l.FalsePositivesAt0_1Percent} false positive(s)"
            + (l.FalsePositivesAt0_1Percent == 0 ? ", so it is the TPR at FPR 0." : "."));
        if (r.Lira is not null)
        {
            console.MarkupLine($"LiRA (Carlini et al. 2022, offline): {r.Shadows} shadow models trained with decoys instead of the run's canaries ({r.ShadowsReused} reused, {r.ShadowSeconds:F0} s training), global OUT variance.");
        }
    }

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>The JSON line's fields.</summary>
    public static object Json(RunAudit.Result r) => new
    {
        r.Run,
        r.Private,
        r.AccountedEpsilon,
        r.Delta,
        r.Loss.Confidence,
        CanaryKind = r.Kind.ToString().ToLowerInvariant(),
        r.Loss.Canaries,
        r.Loss.Members,
        r.Loss.NonMembers,
        r.RealExamples,
        r.Loss.Guesses,
        r.Loss.GuessesIn,
        r.Loss.GuessesOut,
        Loss = Attack(r.Loss),
        Lira = r.Lira is { } lira ? Attack(lira) : null,
        r.Shadows,
        r.ShadowsReused,
        r.ShadowSeconds,
        r.Seconds,
    };

    private static object Attack(CanaryAttack a) => new
    {
        a.Correct,
        a.EpsilonLowerBound,
        a.Auc,
        TprAtFpr = new Dictionary<string, double?> { ["0.001"] = a.TprAt0_1Percent, ["0.01"] = a.TprAt1Percent },
        FalsePositivesAllowedAtFpr = new Dictionary<string, int> { ["0.001"] = a.NonMembers / 1000, ["0.01"] = a.NonMembers / 100 },
    };

    private sealed class InlineProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
