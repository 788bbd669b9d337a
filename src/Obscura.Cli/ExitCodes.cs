namespace Obscura.Cli;

/// <summary>Process exit codes beyond 0 (done) and 1 (error).</summary>
public static class ExitCodes
{
    /// <summary>Stopped by Ctrl-C before the work was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
