using System.CommandLine;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// The run-auditing half of <c>obscura audit</c>: <c>obscura audit runs/NAME --mia</c> runs the
/// loss-threshold membership-inference attack (AUC, TPR at FPR 0.1% and 1%) and, for a private
/// run, prints the reconstruction bound of its ledger's (q, σ, steps).
/// </summary>
public static class MiaAudit
{
    public sealed record OptionSet(Argument<string?> Run, Option<bool> Mia, Option<int> Count, Option<int> Seed, Option<string?> Data)
    {
        public Option[] All => [Mia, Count, Seed, Data];
    }

    public static OptionSet Options() => new(
        new Argument<string?>("run") { Description = "Run folder to audit (its canaries) or attack (--mia).", Arity = ArgumentArity.ZeroOrOne },
        new Option<bool>("--mia") { Description = "Loss-threshold membership inference on the run: ROC AUC and TPR at low FPR." },
        new Option<int>("--mia-count") { Description = "Members (and as many non-members) scored.", DefaultValueFactory = _ => MembershipInference.DefaultCount },
        new Option<int>("--seed") { Description = "Seed of the member sample and the Monte Carlo bound.", DefaultValueFactory = _ => 0 },
        new Option<string?>("--data") { Description = "Data folder (default: the run's)." });

    /// <summary>The JSON form of the TPRs: {"0.001": …, "0.01": …}.</summary>
    public static Dictionary<string, double> TprAtFpr(MembershipInferenceResult m) => new()
    {
        ["0.001"] = m.TprAt0_1Percent,
        ["0.01"] = m.TprAt1Percent,
    };

    public static int Invoke(CliContext context, ParseResult parse, OptionSet o, Option<bool> json)
    {
        var path = parse.GetValue(o.Run);
        if (path is null || !parse.GetValue(o.Mia))
        {
            throw new UsageException("obscura audit: pass --self-test, or a run folder with --mia (obscura audit runs/NAME --mia).");
        }
        var count = parse.GetValue(o.Count);
        if (count < 1)
        {
            throw new UsageException($"--mia-count must be at least 1, got {count}.");
        }
        var run = RunData.Analyse(path, parse.GetValue(o.Data), null, new AnalysisOptions(MiaCount: count, Seed: parse.GetValue(o.Seed), EpsilonPoints: 0));
        var m = run.Mia!;
        var console = context.Console;
        console.MarkupLine($"{Markup.Escape(run.Name)}: {Markup.Escape(PrivacyStatement.Headline(run))}");
        var table = new Table().AddColumns("members", "non-members", "AUC", "TPR at 0.1% FPR", "TPR at 1% FPR", "mean loss (members)", "mean loss (non-members)");
        table.AddRow($"{m.Count:N0}", $"{m.Count:N0}", $"{m.Auc:F4}", $"{m.TprAt0_1Percent:P2}", $"{m.TprAt1Percent:P2}", $"{m.MeanMemberLoss:F4}", $"{m.MeanNonMemberLoss:F4}");
        console.Write(table);
        console.MarkupLine("Loss-threshold attack (Yeom et al. 2018): AUC 0.5 is guessing. A low score does not prove privacy; a high one shows leakage.");
        if (run.Privacy is { } p)
        {
            var bounds = new Table().AddColumns("prior κ", "reconstruction success ≤", "standard error", "samples");
            foreach (var b in p.Reconstruction)
            {
                bounds.AddRow($"{b.Prior:G3}", $"{b.SuccessProbability:F4}", $"{b.StandardError:F4}", $"{b.Samples:N0}");
            }
            console.MarkupLine($"Reconstruction bound (Hayes, Mahloujifar, Balle 2023) for q = {p.SamplingRate:G3}, σ = {p.NoiseMultiplier:G4}, {p.Steps:N0} steps:");
            console.Write(bounds);
        }
        if (parse.GetValue(json))
        {
            JsonLine.Write(context.Out, new
            {
                Run = run.Path,
                run.Private,
                Epsilon = run.Privacy?.Epsilon,
                Delta = run.Privacy?.Delta,
                Members = m.Count,
                NonMembers = m.Count,
                m.Auc,
                TprAtFpr = TprAtFpr(m),
                Reconstruction = run.Privacy?.Reconstruction.Select(b => new { b.Prior, Bound = b.SuccessProbability, b.StandardError, b.Samples }),
            });
        }
        return 0;
    }
}
