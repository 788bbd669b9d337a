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
                context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }
            context.Console.MarkupLine("Run [bold]obscura --help[/] for usage.");
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

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return TrainCommand.Create(context);
        yield return EvaluateCommand.Create(context);
        yield return BenchCommand.Create(context);
        yield return AuditCommand.Create(context);
        yield return SweepCommand.Create(context);
        yield return ReportCommand.Create(context);
        yield return EpsilonCommand.Create(context);
        yield return CalibrateCommand.Create(context);
    }
}
