using System.CommandLine;

namespace Obscura.Cli.Commands;

/// <summary>Options that several commands share, so they are spelled and documented once.</summary>
public static class SharedOptions
{
    public static Option<bool> Json() =>
        new("--json") { Description = "End with one machine-readable JSON line on standard output." };
}
