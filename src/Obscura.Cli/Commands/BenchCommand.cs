using System.CommandLine;
using System.Diagnostics;
using Obscura.Nn;
using Obscura.Tensors.Blas;
using Obscura.Training;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura bench</c>: examples per second of full training steps on synthetic input, for sizing
/// a machine. Private by default; <c>--compare</c> also times the non-private step, interleaved
/// step by step, and reports the ratio.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = $"One of {string.Join(", ", Obscura.Nn.Models.ModelZoo.Names)}.", DefaultValueFactory = _ => "tanh-cnn" };
        var batch = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => 256 };
        var nonPrivate = new Option<bool>("--non-private") { Description = "Time the non-private step only." };
        var compare = new Option<bool>("--compare") { Description = "Time private and non-private steps interleaved; report the ratio." };
        var augmult = new Option<int>("--augmult") { Description = "Augmentation multiplicity K.", DefaultValueFactory = _ => 1 };
        var input = new Option<string>("--input") { Description = "Image shape CxHxW (scatter models are timed on its ScatterNet features, computed once per dataset and not per step).", DefaultValueFactory = _ => "1x28x28" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per mode.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (per mode; enough for the JIT to finish optimising the hot code).", DefaultValueFactory = _ => 20 };
        var physical = new Option<int?>("--physical-batch") { Description = "Chunk size (default: the batch size)." };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("bench", "Time full training steps on synthetic input.");
        foreach (var o in new Option[] { model, batch, nonPrivate, compare, augmult, input, steps, warmup, physical, threads, blas, json })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            var provider = SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            var shape = FeatureFrontEnd.ModelInputShape(parse.GetValue(model)!, ParseShape(parse.GetValue(input)!));
            var batchSize = parse.GetValue(batch);
            if (batchSize < 1)
            {
                throw new UsageException($"--batch-size must be at least 1, got {batchSize}.");
            }
            if (parse.GetValue(steps) < 1 || parse.GetValue(warmup) < 0)
            {
                throw new UsageException("--steps must be at least 1 and --warmup at least 0.");
            }
            bool[] modes = parse.GetValue(compare) ? [true, false] : [!parse.GetValue(nonPrivate)];
            var timings = StepBenchmark.Run(parse.GetValue(model)!, shape, batchSize, modes, parse.GetValue(augmult),
                parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(physical) ?? batchSize, NormMethod.Auto);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var core = provider is NativeGemm ? $" ({NativeGemm.CoreName})" : "";
            foreach (var t in timings)
            {
                context.Console.MarkupLine($"{parse.GetValue(model)} batch {batchSize} augmult {parse.GetValue(augmult)} {t.Mode}: [bold]{t.ExamplesPerSecond:N0}[/] examples/s, median step {t.MedianStepSeconds * 1000:F1} ms");
            }
            double? ratio = timings.Count == 2 ? timings[0].MedianStepSeconds / timings[1].MedianStepSeconds : null;
            if (ratio is { } r)
            {
                context.Console.MarkupLine($"private / non-private step time: [bold]{r:F3}[/]");
            }
            context.Console.MarkupLine($"BLAS {provider.Name}{Markup.Escape(core)}, {provider.Threads} threads; peak RSS {peak:F0} MB");
            if (parse.GetValue(json))
            {
                var first = timings[0];
                JsonLine.Write(context.Out, new
                {
                    Model = parse.GetValue(model),
                    BatchSize = batchSize,
                    Augmult = parse.GetValue(augmult),
                    Mode = first.Mode,
                    ExamplesPerSecond = first.ExamplesPerSecond,
                    MedianStepSeconds = first.MedianStepSeconds,
                    NonPrivateExamplesPerSecond = timings.Count == 2 ? timings[1].ExamplesPerSecond : (double?)null,
                    NonPrivateMedianStepSeconds = timings.Count == 2 ? timings[1].MedianStepSeconds : (double?)null,
                    PrivateOverNonPrivate = ratio,
                    PeakRssMb = peak,
                    Blas = provider.Name,
                    BlasCore = provider is NativeGemm ? NativeGemm.CoreName : null,
                    Threads = provider.Threads,
                });
            }
            return 0;
        });
        return command;
    }

    private static int[] ParseShape(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out var v) && v > 0))
        {
            throw new UsageException($"--input must look like 1x28x28 (channels x height x width), got '{text}'.");
        }
        return parts.Select(int.Parse).ToArray();
    }
}
