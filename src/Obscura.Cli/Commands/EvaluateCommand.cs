using System.CommandLine;
using Obscura.Training;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary><c>obscura evaluate runs/NAME</c>: accuracy overall and per class, and the confusion matrix.</summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var runPath = new Argument<string>("run") { Description = "Run folder written by obscura train." };
        var data = new Option<string?>("--data") { Description = "Data folder (default: the run's)." };
        var (threads, blas, json) = (SharedOptions.Threads(), SharedOptions.Blas(), SharedOptions.Json());
        var command = new Command("evaluate", "Evaluate a trained run on the test set.");
        command.Arguments.Add(runPath);
        foreach (var o in new Option[] { data, threads, blas, json })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            var run = new RunFolder(parse.GetValue(runPath)!);
            var result = RunEvaluation.Evaluate(run, parse.GetValue(data));
            var console = context.Console;
            var label = result.Private ? "" : " [yellow](NON-PRIVATE baseline)[/]";
            console.MarkupLine($"{Markup.Escape(result.Model)}{label}: test accuracy [bold]{result.Evaluation.Accuracy:P2}[/] on {result.Evaluation.Count:N0} examples");
            var table = new Table().AddColumn("class").AddColumn("accuracy");
            for (var c = 0; c < result.ClassNames.Count; c++)
            {
                table.AddRow(Markup.Escape(result.ClassNames[c]), $"{result.Evaluation.PerClassAccuracy[c]:P1}");
            }
            console.Write(table);
            if (parse.GetValue(json))
            {
                JsonLine.Write(context.Out, new
                {
                    result.Model,
                    result.Private,
                    TestAccuracy = result.Evaluation.Accuracy,
                    Examples = result.Evaluation.Count,
                    PerClassAccuracy = result.Evaluation.PerClassAccuracy,
                    Confusion = ToJagged(result.Evaluation.Confusion),
                });
            }
            return 0;
        });
        return command;
    }

    private static long[][] ToJagged(long[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();
}
