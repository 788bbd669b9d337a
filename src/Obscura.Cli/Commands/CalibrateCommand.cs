using System.CommandLine;
using System.Diagnostics;
using Obscura.Privacy;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura calibrate</c>: the smallest noise multiplier that meets a target (ε, δ) for the
/// given sampling rate and steps; or, with <c>--noise-multiplier</c>, the largest number of
/// steps. The answer is re-checked with the accountant and the verified ε is printed.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create(CliContext context)
    {
        var epsilon = new Option<double>("--epsilon") { Description = "Target epsilon > 0.", Required = true };
        var delta = PrivacyOptions.Delta();
        var samplingRate = PrivacyOptions.SamplingRate();
        var steps = PrivacyOptions.Steps();
        var datasetSize = PrivacyOptions.DatasetSize();
        var batchSize = PrivacyOptions.BatchSize();
        var epochs = PrivacyOptions.Epochs();
        var noiseMultiplier = PrivacyOptions.NoiseMultiplier(
            "Fix the noise multiplier and find the largest number of steps instead (leave out --steps / --epochs).");
        var accountant = new Option<string>("--accountant")
        {
            Description = "pld (tight; default) or rdp.",
            DefaultValueFactory = _ => "pld",
        };
        accountant.AcceptOnlyFromAmong("pld", "rdp");
        var conversion = PrivacyOptions.Conversion();
        var json = SharedOptions.Json();

        var command = new Command("calibrate", "Smallest noise multiplier (or largest number of steps) that meets a target epsilon at delta.");
        foreach (var option in new Option[] { epsilon, delta, samplingRate, steps, datasetSize, batchSize, epochs, noiseMultiplier, accountant, conversion, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var target = parseResult.GetValue(epsilon);
            PrivacyOptions.Check(PrivacyArgument.EpsilonError(target, "--epsilon"));
            var deltaValue = parseResult.GetValue(delta);
            PrivacyOptions.Check(PrivacyArgument.DeltaError(deltaValue, "--delta"));
            PrivacyOptions.WarnIfDeltaTooLarge(context.Console, deltaValue, parseResult.GetValue(datasetSize));
            var fixedSigma = parseResult.GetValue(noiseMultiplier);
            if (fixedSigma is { } s)
            {
                PrivacyOptions.Check(PrivacyArgument.NoiseMultiplierError(s, "--noise-multiplier"));
            }
            var schedule = PrivacyOptions.Resolve(
                parseResult.GetValue(samplingRate), parseResult.GetValue(steps),
                parseResult.GetValue(datasetSize), parseResult.GetValue(batchSize), parseResult.GetValue(epochs),
                stepsWanted: fixedSigma is null);
            var kind = parseResult.GetValue(accountant) == "rdp" ? AccountantKind.Rdp : AccountantKind.Pld;
            var rdpConversion = PrivacyOptions.ParseConversion(parseResult.GetValue(conversion));

            var watch = Stopwatch.StartNew();
            double sigma;
            long totalSteps;
            EpsilonResult achieved;
            string? note = null;
            if (fixedSigma is { } given)
            {
                var found = PrivacyOptions.Account(() => PrivacyCalibration.MaxSteps(target, deltaValue, schedule.SamplingRate, given, kind, rdpConversion));
                (sigma, totalSteps, achieved, note) = (given, found.Steps, found.Achieved, found.Note);
            }
            else
            {
                var knownSteps = schedule.Steps ?? throw new InvalidOperationException("steps were not resolved");
                var found = PrivacyOptions.Account(() => PrivacyCalibration.CalibrateNoiseMultiplier(target, deltaValue, schedule.SamplingRate, knownSteps, kind, rdpConversion));
                (sigma, totalSteps, achieved) = (found.NoiseMultiplier, knownSteps, found.Achieved);
            }
            var seconds = watch.Elapsed.TotalSeconds;

            if (schedule.Derivation is not null)
            {
                context.Console.MarkupLine(Markup.Escape(schedule.Derivation));
            }
            var what = fixedSigma is null
                ? $"noise multiplier = {PrivacyOptions.Number(sigma)} (smallest found) for {totalSteps} steps"
                : $"steps = {totalSteps} (largest found) at noise multiplier {PrivacyOptions.Number(sigma)}";
            context.Console.MarkupLine(Markup.Escape(what));
            var conversionText = kind == AccountantKind.Rdp ? $", {achieved.Conversion} conversion" : "";
            context.Console.MarkupLine(Markup.Escape(
                $"verified: epsilon = {PrivacyOptions.Precise(achieved.Epsilon)} <= {PrivacyOptions.Number(target)} at delta = {PrivacyOptions.Number(deltaValue)}, sampling rate {PrivacyOptions.Number(schedule.SamplingRate)} ({achieved.Accountant.ToUpperInvariant()}{conversionText})"));
            if (note is not null)
            {
                context.Console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
            }

            if (parseResult.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    Epsilon = achieved.Epsilon,
                    TargetEpsilon = target,
                    Delta = deltaValue,
                    NoiseMultiplier = sigma,
                    SamplingRate = schedule.SamplingRate,
                    Steps = totalSteps,
                    Accountant = achieved.Accountant,
                    Conversion = achieved.Conversion,
                    Seconds = seconds,
                });
            }
            return 0;
        });
        return command;
    }
}
