using System.CommandLine;
using System.Diagnostics;
using Obscura.Privacy;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura epsilon</c>: the privacy spent by DP-SGD with Poisson sampling, as ε at a given δ,
/// from the PLD accountant (default), the RDP accountant, or both.
/// </summary>
public static class EpsilonCommand
{
    public static Command Create(CliContext context)
    {
        var samplingRate = PrivacyOptions.SamplingRate();
        var noiseMultiplier = PrivacyOptions.NoiseMultiplier("Noise multiplier sigma > 0 (noise standard deviation over clip norm).");
        noiseMultiplier.Required = true;
        var steps = PrivacyOptions.Steps();
        var delta = PrivacyOptions.Delta();
        var datasetSize = PrivacyOptions.DatasetSize();
        var batchSize = PrivacyOptions.BatchSize();
        var epochs = PrivacyOptions.Epochs();
        var accountant = new Option<string>("--accountant")
        {
            Description = "pld (tight; default), rdp (fast, looser) or all (both; epsilon is the smaller).",
            DefaultValueFactory = _ => "pld",
        };
        accountant.AcceptOnlyFromAmong("pld", "rdp", "all");
        var conversion = PrivacyOptions.Conversion();
        var json = SharedOptions.Json();

        var command = new Command("epsilon", "Privacy spent by DP-SGD with Poisson sampling: epsilon at a given delta.");
        foreach (var option in new Option[] { samplingRate, noiseMultiplier, steps, delta, datasetSize, batchSize, epochs, accountant, conversion, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var schedule = PrivacyOptions.Resolve(
                parseResult.GetValue(samplingRate), parseResult.GetValue(steps),
                parseResult.GetValue(datasetSize), parseResult.GetValue(batchSize), parseResult.GetValue(epochs),
                stepsWanted: true);
            var sigma = parseResult.GetValue(noiseMultiplier) ?? throw new UsageException("--noise-multiplier is required");
            PrivacyOptions.Check(PrivacyArgument.NoiseMultiplierError(sigma, "--noise-multiplier"));
            var deltaValue = parseResult.GetValue(delta);
            PrivacyOptions.Check(PrivacyArgument.DeltaError(deltaValue, "--delta"));
            PrivacyOptions.WarnIfDeltaTooLarge(context.Console, deltaValue, parseResult.GetValue(datasetSize));
            var which = parseResult.GetValue(accountant) ?? "pld";
            var rdpConversion = PrivacyOptions.ParseConversion(parseResult.GetValue(conversion));
            var totalSteps = schedule.Steps!.Value;

            var watch = Stopwatch.StartNew();
            var dpEvent = DpEvent.PoissonSampledGaussian(schedule.SamplingRate, sigma, totalSteps);
            var pld = which is "pld" or "all" ? PrivacyOptions.Account(() => new PldAccountant().GetEpsilon(dpEvent, deltaValue)) : null;
            var rdp = which is "rdp" or "all" ? PrivacyOptions.Account(() => new RdpAccountant(rdpConversion).GetEpsilon(dpEvent, deltaValue)) : null;
            var seconds = watch.Elapsed.TotalSeconds;
            var reported = Smaller(pld, rdp);

            PrintHuman(context.Console, schedule, sigma, totalSteps, deltaValue, pld, rdp, reported);
            if (parseResult.GetValue(json))
            {
                var conversionName = rdp is null ? null : RdpAccountant.ConversionName(rdpConversion);
                object record = which == "all"
                    ? new
                    {
                        Epsilon = reported.Epsilon,
                        Delta = deltaValue,
                        NoiseMultiplier = sigma,
                        SamplingRate = schedule.SamplingRate,
                        Steps = totalSteps,
                        Accountant = reported.Accountant,
                        Conversion = conversionName,
                        Seconds = seconds,
                        EpsilonRdp = rdp!.Epsilon,
                        EpsilonPld = pld!.Epsilon,
                    }
                    : new
                    {
                        Epsilon = reported.Epsilon,
                        Delta = deltaValue,
                        NoiseMultiplier = sigma,
                        SamplingRate = schedule.SamplingRate,
                        Steps = totalSteps,
                        Accountant = reported.Accountant,
                        Conversion = conversionName,
                        Seconds = seconds,
                    };
                JsonLine.Write(context.Out, record);
            }
            return 0;
        });
        return command;
    }

    private static EpsilonResult Smaller(EpsilonResult? pld, EpsilonResult? rdp) => (pld, rdp) switch
    {
        ({ } p, { } r) => r.Epsilon < p.Epsilon ? r : p,
        ({ } p, null) => p,
        (null, { } r) => r,
        _ => throw new InvalidOperationException("no accountant ran"),
    };

    private static void PrintHuman(
        IAnsiConsole console, ResolvedSchedule schedule, double sigma, long steps, double delta,
        EpsilonResult? pld, EpsilonResult? rdp, EpsilonResult reported)
    {
        if (schedule.Derivation is not null)
        {
            console.MarkupLine(Markup.Escape(schedule.Derivation));
        }
        console.MarkupLine(Markup.Escape(
            $"Poisson-sampled Gaussian: sampling rate {PrivacyOptions.Number(schedule.SamplingRate)}, noise multiplier {PrivacyOptions.Number(sigma)}, {steps} steps, delta {PrivacyOptions.Number(delta)}"));
        var table = new Table().AddColumn("accountant").AddColumn("epsilon").AddColumn("details");
        if (pld is not null)
        {
            table.AddRow("PLD", Markup.Escape(Format(pld)), Markup.Escape(pld.Note ?? "pessimistic discretisation, add and remove neighbours"));
        }
        if (rdp is not null)
        {
            var details = rdp.Note ?? $"{rdp.Conversion} conversion, order {PrivacyOptions.Number(rdp.Order ?? double.NaN)}";
            table.AddRow("RDP", Markup.Escape(Format(rdp)), Markup.Escape(details));
        }
        console.Write(table);
        if (reported.IsInfinite)
        {
            console.MarkupLine("[yellow]warning:[/] no finite epsilon holds at this delta.");
        }
        else
        {
            console.MarkupLine(Markup.Escape(
                $"epsilon = {PrivacyOptions.Number(reported.Epsilon)} at delta = {PrivacyOptions.Number(delta)} ({reported.Accountant.ToUpperInvariant()})"));
        }
    }

    private static string Format(EpsilonResult result) =>
        result.IsInfinite ? "infinity" : PrivacyOptions.Number(result.Epsilon);
}
