namespace Obscura.Privacy.Ledger;

/// <summary>A privacy ledger file that cannot be trusted: unreadable, inconsistent or tampered with.</summary>
public sealed class CorruptLedgerException : IOException
{
    /// <summary>Creates the exception; the message names the file and the problem.</summary>
    public CorruptLedgerException(string path, string problem, Exception? inner = null)
        : base($"Privacy ledger '{path}' is corrupted and was refused: {problem}.", inner)
    {
        FilePath = path;
    }

    /// <summary>The ledger file that was refused.</summary>
    public string FilePath { get; }
}
