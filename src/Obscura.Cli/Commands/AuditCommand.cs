using System.CommandLine;
using System.Diagnostics;
using Obscura.Training.Auditing;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura audit --self-test</c>: the canary audit of the implementation itself, in seconds:
/// empirical ε lower bounds next to the accounted ε for a few settings, and the same audit of two
/// deliberately broken mechanisms to show it would catch them. <c>obscura audit runs/NAME</c>: the
/// one-run audit of a run trained with canaries, optionally with offline LiRA (<see cref="CanaryAudit"/>).
/// <c>obscura audit runs/NAME --mia</c>: the loss-threshold membership-inference attack on any
/// finished run (<see cref="MiaAudit"/>).
/// </summary>
public static class AuditCommand
{
    public static readonly SelfAudit.Setting[] Settings =
    [
        new(1.0, 2.0, 1),
        new(1.0, 1.1, 1),
        new(1.0, 0.6, 1),
        new(0.5, 1.0, 4),
    ];

    public static Command Create(CliContext context)
    {
        var selfTest = new Option<bool>("--self-test") { Description = "Audit the clip-sum-noise code itself with synthetic canaries." };
        var trials = new Option<int>("--trials") { Description = "Trials per world (with and without the canary).", DefaultValueFactory = _ => 40000 };
        var delta = new Option<double>("--delta") { Description = "δ of the audited claims (self-test, and the bound on a non-private run; a private run's audit uses its own δ).", DefaultValueFactory = _ => 1e-5 };
        var (json, threads, blas) = (SharedOptions.Json(), SharedOptions.Threads(), SharedOptions.Blas());
        var mia = MiaAudit.Options();
        var canary = CanaryAudit.Options();
        var command = new Command("audit", "Measure privacy empirically: --self-test audits the DP mechanism's implementation; RUN audits a run trained with --canaries (one-run ε lower bound, --lira S); RUN --mia attacks any trained run.");
        command.Arguments.Add(mia.Run);
        foreach (var o in new Option[] { selfTest, trials, delta, json, threads, blas }.Concat(mia.All).Concat(canary.All))
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            if (!parse.GetValue(selfTest))
            {
                var path = parse.GetValue(mia.Run)
                    ?? throw new UsageException("obscura audit: pass --self-test, or a run folder (obscura audit runs/NAME for a run with canaries, obscura audit runs/NAME --mia for any run).");
                if (parse.GetValue(mia.Mia))
                {
                    if (parse.GetValue(canary.Lira) != 0)
                    {
                        throw new UsageException("--lira attacks the run's canaries and --mia its real training examples; run them separately.");
                    }
                    return MiaAudit.Invoke(context, parse, mia, json);
                }
                return CanaryAudit.Invoke(context, parse, path, canary, parse.GetValue(delta), parse.GetValue(mia.Data), parse.GetValue(json));
            }
            if (parse.GetValue(mia.Run) is { } run)
            {
                throw new UsageException($"--self-test audits Obscura's mechanism, not a run; drop {run} to run it, or drop --self-test to audit that run.");
            }
            var n = parse.GetValue(trials);
            if (n < 100)
            {
                throw new UsageException($"--trials must be at least 100, got {n}.");
            }
            var d = parse.GetValue(delta);
            var clock = Stopwatch.StartNew();
            var outcomes = new List<SelfAudit.Outcome>();
            var table = new Table().AddColumns("mechanism", "q", "σ", "steps", "accounted ε", "empirical ε ≥ (threshold)", "empirical ε ≥ (GDP)", "verdict");
            foreach (var mechanism in Enum.GetValues<SelfAudit.Mechanism>())
            {
                foreach (var setting in mechanism == SelfAudit.Mechanism.Real ? Settings : Settings[..1])
                {
                    var o = SelfAudit.Run(setting, mechanism, n, d, seed: 17);
                    outcomes.Add(o);
                    var verdict = mechanism == SelfAudit.Mechanism.Real
                        ? (o.Violates ? "[red]VIOLATION[/]" : "[green]ok[/]")
                        : (o.Violates ? "[green]caught[/]" : "[red]missed[/]");
                    table.AddRow(mechanism.ToString(), $"{setting.SamplingRate:G3}", $"{setting.NoiseMultiplier:G3}", $"{setting.Steps}",
                        $"{o.AccountedEpsilon:F3}", $"{o.ThresholdBound:F3}", $"{o.GaussianBound:F3}", verdict);
                }
            }
            context.Console.Write(table);
            var failed = outcomes.Any(o => o.Mechanism == SelfAudit.Mechanism.Real ? o.Violates : !o.Violates);
            context.Console.MarkupLine(failed
                ? "[red]Self-test FAILED[/]: the implementation does not behave as accounted."
                : $"Self-test passed in {clock.Elapsed.TotalSeconds:F1} s: no empirical bound exceeds the accounted ε, and both broken mechanisms were caught.");
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    Passed = !failed,
                    Seconds = clock.Elapsed.TotalSeconds,
                    Delta = d,
                    Results = outcomes.Select(o => new
                    {
                        Mechanism = o.Mechanism.ToString(),
                        o.Setting.SamplingRate,
                        o.Setting.NoiseMultiplier,
                        o.Setting.Steps,
                        o.AccountedEpsilon,
                        o.ThresholdBound,
                        o.GaussianBound,
                        o.TrialsPerWorld,
                    }),
                });
            }
            return failed ? 2 : 0;
        });
        return command;
    }
}
