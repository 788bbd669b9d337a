namespace Obscura.Cli;

/// <summary>
/// A bad argument or input the user can fix. The message names the argument, file or field and
/// what was expected; the command prints it and exits with code 1.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
