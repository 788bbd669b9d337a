using Obscura.Cli;
using Spectre.Console;

return ObscuraApp.Run(args, new CliContext(AnsiConsole.Console, Console.Out));
