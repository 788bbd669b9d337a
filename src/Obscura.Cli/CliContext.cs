using Spectre.Console;

namespace Obscura.Cli;

/// <summary>
/// Where a command writes: <see cref="Console"/> for people (tables, progress, messages) and
/// <see cref="Out"/> for the one machine-readable JSON line that <c>--json</c> adds at the end.
/// Tests pass their own writers so commands can be checked without a terminal.
/// </summary>
public sealed record CliContext(IAnsiConsole Console, TextWriter Out);
