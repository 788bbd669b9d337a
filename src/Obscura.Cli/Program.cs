using Obscura.Cli;
using Spectre.Console;

// With --json the JSON line owns stdout, so people's text goes to stderr; text sent to a file or a
// pipe gets no colour codes and no wrapping at 80 columns.
var json = args.Contains("--json");
var writer = json ? Console.Error : Console.Out;
var redirected = json ? Console.IsErrorRedirected : Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Out = new AnsiConsoleOutput(writer),
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
});
if (redirected)
{
    console.Profile.Width = 1_000;
}
return ObscuraApp.Run(args, new CliContext(console, Console.Out));
