using System.CommandLine;
using Obscura.Cli.Commands;
using Spectre.Console;

namespace Obscura.Cli;

/// <summary>The <c>obscura</c> command line: one subcommand per file under Commands/.</summary>
public static class ObscuraApp
{
    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("Obscura: image classifiers trained with differential privacy, and the truth about the privacy they give.");
        foreach (var command in Commands(context))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(InPlainWords(error.Message))}");
            }
            var help = parsed.CommandResult.Command is RootCommand ? "obscura --help" : $"obscura {parsed.CommandResult.Command.Name} --help";
            context.Console.MarkupLine($"Run [bold]{help}[/] for usage.");
            return 1;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    // The parser names .NET types ("System.Nullable`1[System.Double]"); say what the user should type.
    private static string InPlainWords(string message) => System.Text.RegularExpressions.Regex.Replace(
        message, @"as expected type '([^']+)'", m => m.Groups[1].Value switch
        {
            var t when t.Contains("Double") => "as a number",
            var t when t.Contains("Int32") || t.Contains("Int64") => "as a whole number",
            var t when t.Contains("Boolean") => "as true or false",
            _ => "as the expected kind of value",
        });

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return TrainCommand.Create(context);
        yield return EvaluateCommand.Create(context);
        yield return PredictCommand.Create(context);
        yield return BenchCommand.Create(context);
        yield return AuditCommand.Create(context);
        yield return SweepCommand.Create(context);
        yield return ReportCommand.Create(context);
        yield return EpsilonCommand.Create(context);
        yield return CalibrateCommand.Create(context);
    }
}
