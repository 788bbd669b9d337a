using Obscura.Training;
using Obscura.Training.Auditing;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>Runs a configured training job with a progress bar, the plan before and the privacy statement after.</summary>
public static class TrainSession
{
    public static (int ExitCode, TrainResult Result) Run(CliContext context, TrainConfig config, RunFolder run, bool json)
    {
        var console = context.Console;
        // A resumed run trains on the canaries it recorded when it started, never on a new draw.
        var recorded = run.Exists && config.Canaries > 0 ? CanarySet.Load(run.CanariesFile) : null;
        var data = TrainingData.LoadForRun(config, recorded, line => console.MarkupLine(Markup.Escape(line)));
        var (train, test) = (data.Train, data.Evaluation);
        var described = DataDescription.Of(Obscura.Data.DataSource.Recognise(config.DataDir).Format, data.RealImages);
        if (run.Exists && File.Exists(run.DataFile))
        {
            CheckSameData(run, described);
        }
        var trainer = new Trainer(config, run, train, test);
        trainer.Prepare();
        var expected = trainer.Plan is { } planned ? DpPlanReport.ExpectedEpsilon(planned) : 0;
        if (!double.IsFinite(expected))
        {
            throw new ArgumentException($"--noise-multiplier {trainer.Plan!.NoiseMultiplier:G4}: with q = {trainer.Plan.SamplingRate:G4} and T = {trainer.Plan.Steps:N0} steps the accountant finds no finite ε at δ = {trainer.Plan.Delta:G3}, so the run would have no guarantee; use a larger σ, fewer steps or --epsilon.");
        }
        run.Create();
        if (data.Canaries is { } canaries && recorded is null)
        {
            canaries.Save(run.CanariesFile); // before config.json, which marks the run as started
        }
        run.SaveDataDescription(described);
        run.SaveConfig(config);

        var model = trainer.Model!;
        console.MarkupLine($"[bold]obscura train[/]: {model.Name} ({model.ParameterCount:N0} parameters) on {Markup.Escape(train.Name)}, N = {train.Count:N0}, evaluated on {Markup.Escape(test.Name)} ({test.Count:N0})");
        if (trainer.Plan is { } plan)
        {
            console.MarkupLine($"[bold]Privacy plan[/]: Poisson sampling q = {plan.SamplingRate:G4} (B = {plan.ExpectedBatchSize} of N = {plan.DatasetSize}), σ = {plan.NoiseMultiplier:G4}, C = {plan.ClipNorm:G4}, T = {plan.Steps:N0} steps, accountant PLD → ε = {expected:F3} at δ = {plan.Delta:G3}");
        }
        else
        {
            console.MarkupLine("[yellow bold]NON-PRIVATE baseline[/]: no differential privacy; the model may reveal its training data.");
        }
        if (config.InitialWeights is not null || config.Frozen is { Length: > 0 })
        {
            var from = config.InitialWeights is { } w ? $"starts from {w.File}{(w.NewHead ? " with a new head" : "")}" : "random start";
            console.MarkupLine($"Fine-tuning: {Markup.Escape(from)}; {model.TrainableParameterCount:N0} of {model.ParameterCount:N0} parameters trained" + (config.Frozen is { Length: > 0 } f ? $", frozen: {Markup.Escape(string.Join(", ", f))}" : ""));
        }
        if (config.Standardisation is { } given)
        {
            console.MarkupLine($"Pixels standardised with the given mean {string.Join(", ", given.Mean)} and std {string.Join(", ", given.Std)} (treated as public: not computed from these images)");
        }
        if (config.PerImageStandardisation)
        {
            console.MarkupLine("Each image standardised by its own mean and std (uses no other image: no privacy cost)");
        }
        if (config.AverageViews)
        {
            console.MarkupLine($"Final accuracy and predictions average {ViewAveraging.ViewCount} views of each image (post-processing: no privacy cost); the curve scores single views");
        }
        if (data.Canaries is { } set)
        {
            console.MarkupLine($"Canaries: {set.Count:N0} {set.Kind.ToString().ToLowerInvariant()}, {data.IncludedCanaries:N0} trained on (coins in canaries.json), so N = {data.Real.Count:N0} + {data.IncludedCanaries:N0}; they count in no accuracy. Audit with: obscura audit {Markup.Escape(run.Path)}");
        }
        console.MarkupLine($"Run folder: {Markup.Escape(run.Path)}");

        using var cancel = new StopSignals();
        var result = console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("starting", maxValue: 1);
                    var progress = new InlineProgress(p =>
                    {
                        task.MaxValue = p.Steps;
                        task.Value = p.Step;
                        var eps = p.EpsilonSpent is { } e ? $" ε≤{e:F2}" : "";
                        task.Description = $"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.Steps} loss {p.Loss:F3} {p.ExamplesPerSecond:N0} ex/s{eps}";
                    });
                    return trainer.Run(progress, cancel.Token);
                });

        var label = result.Private ? "" : " (NON-PRIVATE)";
        var heldOut = config.ValidationSize > 0 ? "Validation" : "Test";
        console.MarkupLine($"{heldOut} accuracy{label}: [bold]{result.TestAccuracy:P2}[/] after {result.Steps:N0} steps in {result.Seconds:F0} s ({result.ExamplesPerSecond:N0} examples/s, BLAS {result.Blas}).");
        if (trainer.Plan is { } p2)
        {
            console.MarkupLine(DpPlanReport.Statement(p2, result, config));
        }
        if (cancel.StopRequested)
        {
            console.MarkupLine($"[yellow]Interrupted[/]: checkpoint and ledger saved; continue with obscura train --resume {Markup.Escape(run.Path)}");
        }
        if (json)
        {
            JsonLine.Write(context.Out, result);
        }
        return (result.Completed ? 0 : ExitCodes.Interrupted, result);
    }

    private sealed class InlineProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }

    // A resumed run must see the data it started on: the same format, image shape and classes in the same order.
    private static void CheckSameData(RunFolder run, DataDescription now)
    {
        var before = run.LoadDataDescription();
        if (before.Format != now.Format || !before.ItemShape.SequenceEqual(now.ItemShape) || !before.ClassNames.SequenceEqual(now.ClassNames))
        {
            throw new InvalidDataException($"{run.DataFile}: the run started on {Describe(before)}, but its data folder now holds {Describe(now)}; "
                + "a resumed run must train on the same data (labels are class positions). Start a new run for new data.");
        }
    }

    private static string Describe(DataDescription d) =>
        $"{d.Format} images of {string.Join("×", d.ItemShape)} in classes [{string.Join(", ", d.ClassNames)}]";
}
