using System.Text.Json;
using Obscura.Cli;
using Spectre.Console;

namespace Obscura.Tests.Shared;

/// <summary>Runs the obscura command line in process, as a user would type it, and captures what it prints (shared by the test projects).</summary>
public static class CommandLine
{
    /// <summary>The exit code, the human output (no colours) and the one JSON line of standard output, if any.</summary>
    public static (int Code, string Human, JsonElement? Json) Run(params string[] args)
    {
        var human = new StringWriter();
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(human),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 240; // no wrapping, so lines can be matched whole
        var code = ObscuraApp.Run(args, new CliContext(console, output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 1, "at most one JSON line on standard output");
        return (code, human.ToString(), lines.Length == 1 ? JsonDocument.Parse(lines[0]).RootElement : null);
    }
}
