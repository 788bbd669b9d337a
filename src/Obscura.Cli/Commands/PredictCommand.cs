using System.CommandLine;
using Obscura.Data;
using Obscura.Training;
using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>
/// <c>obscura predict runs/NAME image.png photo.jpg ...</c>: the class a trained run's model gives each image,
/// with its probability and the runners-up, and what the model's training guarantees.
/// </summary>
public static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var runPath = new Argument<string>("run") { Description = "Run folder written by obscura train." };
        var images = new Argument<string[]>("images") { Description = "PNG or JPEG images, or folders of them, of the size the run was trained on (28×28 grey for Fashion-MNIST) unless it resized its images.", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "Classes shown per image, most probable first.", DefaultValueFactory = _ => 3 };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("predict", "Classify PNG or JPEG images with a trained run's model.");
        command.Arguments.Add(runPath);
        command.Arguments.Add(images);
        foreach (var o in new Option[] { top, threads, blas, json })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            var k = parse.GetValue(top);
            if (k < 1)
            {
                throw new UsageException($"--top must be at least 1, got {k}.");
            }
            var run = new RunFolder(parse.GetValue(runPath)!);
            var config = run.LoadConfig();
            // A folder stands for the PNG and JPEG files directly in it, in name order.
            var files = parse.GetValue(images)!.SelectMany(path => Directory.Exists(path)
                ? Directory.GetFiles(path).Where(ImageFile.HasImageExtension).Order(StringComparer.Ordinal).DefaultIfEmpty()
                    .Select(file => file ?? throw new FileNotFoundException($"{path}: a folder with no PNG or JPEG images in it."))
                : [path]).ToList();
            var decoded = files.Select(file =>
            {
                var (pixels, channels, height, width) = ImageFile.Read(file);
                return (file, pixels, channels, height, width);
            }).ToList();
            var predictions = Predictor.Predict(run, decoded);
            var names = run.LoadDataDescription().ClassNames;
            var console = context.Console;
            // ε from the run's ledger, as evaluate and report account it (a missing or corrupt ledger is refused), never from result.json.
            var spent = config.IsPrivate ? RunAnalysis.Spent(run, new AnalysisOptions(MembershipInference: false, Reconstruction: false, EpsilonPoints: 0)) : null;
            console.MarkupLine(spent is not null
                ? $"{Markup.Escape(config.Model)} from {Markup.Escape(run.Path)}: trained with differential privacy, ε = {spent.Epsilon:F2} at δ = {spent.Delta:G3}."
                : $"{Markup.Escape(config.Model)} from {Markup.Escape(run.Path)}: [yellow bold]NON-PRIVATE[/] baseline (no privacy guarantee).");
            var table = new Table().AddColumns("image", "class", "probability", "next");
            foreach (var p in predictions)
            {
                var ranked = Ranked(p, k);
                table.AddRow(Markup.Escape(p.Source), Markup.Escape(names[p.Class]), $"{p.Probabilities[p.Class]:P1}",
                    Markup.Escape(string.Join(", ", ranked.Skip(1).Select(c => $"{names[c]} {p.Probabilities[c]:P1}"))));
            }
            console.Write(table);
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    config.Model,
                    Private = config.IsPrivate,
                    spent?.Epsilon,
                    spent?.Delta,
                    Predictions = predictions.Select(p => new
                    {
                        Image = p.Source,
                        Class = names[p.Class],
                        Probability = p.Probabilities[p.Class],
                        Top = Ranked(p, k).Select(c => new { Class = names[c], Probability = p.Probabilities[c] }).ToArray(),
                    }).ToArray(),
                });
            }
            return 0;
        });
        return command;
    }

    private static IEnumerable<int> Ranked(Prediction p, int k) =>
        Enumerable.Range(0, p.Probabilities.Length).OrderByDescending(c => p.Probabilities[c]).Take(k);
}
