using System.CommandLine;
using System.Globalization;
using Obscura.Privacy;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// The options that describe a DP-SGD run's privacy parameters, shared by <c>epsilon</c> and
/// <c>calibrate</c>, and the rule that turns them into a sampling rate and a number of steps:
/// either <c>--sampling-rate</c> and <c>--steps</c>, or <c>--dataset-size</c>,
/// <c>--batch-size</c> and <c>--epochs</c> (q = B/N, T = ⌈E·N/B⌉), never a mix.
/// </summary>
public static class PrivacyOptions
{
    public static Option<double?> SamplingRate() =>
        new("--sampling-rate") { Description = "Poisson sampling rate q in (0, 1]: each example joins a batch with this probability." };

    public static Option<double?> NoiseMultiplier(string description) =>
        new("--noise-multiplier") { Description = description };

    public static Option<long?> Steps() =>
        new("--steps") { Description = "Number of DP-SGD steps T." };

    public static Option<double> Delta() =>
        new("--delta") { Description = "Delta in (0, 1), e.g. 1e-5 (below 1/dataset size).", Required = true };

    public static Option<long?> DatasetSize() =>
        new("--dataset-size") { Description = "Dataset size N (with --batch-size and --epochs, instead of --sampling-rate and --steps)." };

    public static Option<long?> BatchSize() =>
        new("--batch-size") { Description = "Expected batch size B; the sampling rate is B/N." };

    public static Option<double?> Epochs() =>
        new("--epochs") { Description = "Epochs E; the steps are ceil(E*N/B)." };

    public static Option<string> Conversion()
    {
        var option = new Option<string>("--conversion")
        {
            Description = "RDP to (epsilon, delta) conversion: improved (Balle et al. 2020; default) or classic (Mironov 2017).",
            DefaultValueFactory = _ => "improved",
        };
        option.AcceptOnlyFromAmong("improved", "classic");
        return option;
    }

    public static RdpConversion ParseConversion(string? value) =>
        value == "classic" ? RdpConversion.Classic : RdpConversion.Improved;

    /// <summary>
    /// Resolves q and (when <paramref name="stepsWanted"/>) T, and a line saying where they came
    /// from. Throws <see cref="UsageException"/> naming the option that is missing or wrong.
    /// </summary>
    public static ResolvedSchedule Resolve(
        double? samplingRate, long? steps, long? datasetSize, long? batchSize, double? epochs, bool stepsWanted)
    {
        var direct = samplingRate is not null || steps is not null;
        var fromEpochs = datasetSize is not null || batchSize is not null || epochs is not null;
        if (direct && fromEpochs)
        {
            throw new UsageException("give either --sampling-rate and --steps, or --dataset-size, --batch-size and --epochs, not a mix");
        }

        if (fromEpochs)
        {
            if (datasetSize is null || batchSize is null)
            {
                throw new UsageException("--dataset-size and --batch-size go together (with --epochs)");
            }
            if (!stepsWanted)
            {
                if (epochs is not null)
                {
                    throw new UsageException("--epochs is what this command computes; leave it out");
                }
                var schedule = Schedule(datasetSize.Value, batchSize.Value, 1);
                return new ResolvedSchedule(schedule.SamplingRate, null,
                    $"sampling rate q = {Invariant(batchSize.Value)} / {Invariant(datasetSize.Value)} = {Number(schedule.SamplingRate)}");
            }
            if (epochs is null)
            {
                throw new UsageException("--epochs is required with --dataset-size and --batch-size");
            }
            var resolved = Schedule(datasetSize.Value, batchSize.Value, epochs.Value);
            return new ResolvedSchedule(resolved.SamplingRate, resolved.Steps,
                $"sampling rate q = {Invariant(batchSize.Value)} / {Invariant(datasetSize.Value)} = {Number(resolved.SamplingRate)}, " +
                $"steps T = ceil({Number(epochs.Value)} * {Invariant(datasetSize.Value)} / {Invariant(batchSize.Value)}) = {Invariant(resolved.Steps)}");
        }

        if (samplingRate is null)
        {
            throw new UsageException("--sampling-rate is required (or --dataset-size, --batch-size and --epochs)");
        }
        Check(PrivacyArgument.SamplingRateError(samplingRate.Value, "--sampling-rate"));
        if (!stepsWanted)
        {
            if (steps is not null)
            {
                throw new UsageException("--steps is what this command computes; leave it out");
            }
            return new ResolvedSchedule(samplingRate.Value, null, null);
        }
        if (steps is null)
        {
            throw new UsageException("--steps is required with --sampling-rate");
        }
        Check(PrivacyArgument.StepsError(steps.Value, "--steps"));
        return new ResolvedSchedule(samplingRate.Value, steps.Value, null);
    }

    /// <summary>Warns when δ is not below 1/N for a given dataset size: such a δ allows one example to leak outright.</summary>
    public static void WarnIfDeltaTooLarge(IAnsiConsole console, double delta, long? datasetSize)
    {
        if (datasetSize is { } n && n > 0 && delta >= 1.0 / n)
        {
            console.MarkupLine($"[yellow]warning[/]: --delta {Number(delta)} is not below 1/N = {Number(1.0 / n)} for --dataset-size {Invariant(n)}: "
                + "a guarantee with such a δ allows the mechanism to reveal one example outright. obscura train refuses it unless --allow-large-delta is given.");
        }
    }

    /// <summary>Throws <see cref="UsageException"/> when <paramref name="error"/> is not null.</summary>
    public static void Check(string? error)
    {
        if (error is not null)
        {
            throw new UsageException(error);
        }
    }

    /// <summary>
    /// Runs an accountant computation; numerical failures it detects (series that do not
    /// converge, mass above 1, a grid too large) become a one-line error instead of a stack trace.
    /// </summary>
    public static T Account<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (Exception e) when (e is ArithmeticException or InvalidOperationException)
        {
            throw new UsageException($"accounting failed: {e.Message}");
        }
    }

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>More digits, for a verified ε printed next to its target.</summary>
    public static string Precise(double value) => value.ToString("G9", CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static TrainingSchedule Schedule(long datasetSize, long batchSize, double epochs)
    {
        try
        {
            return TrainingSchedule.FromEpochs(datasetSize, batchSize, epochs, "--dataset-size", "--batch-size", "--epochs");
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is not null)
        {
            throw new UsageException(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
    }
}
