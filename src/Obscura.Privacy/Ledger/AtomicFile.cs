namespace Obscura.Privacy.Ledger;

/// <summary>
/// Replaces a file so that readers see either the old contents or the complete new contents,
/// never a mixture or a truncated file, even if the process dies mid-write.
/// </summary>
/// <remarks>
/// The file's data is flushed to disk before the rename. The rename itself is made durable by the
/// file system's journal; .NET offers no portable fsync of a directory, so after a power cut the
/// directory may still show the previous version (old or new, never a torn one).
/// </remarks>
public static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file in the same directory,
    /// flushes it to disk (fsync), then renames it over <paramref name="path"/> (an atomic replace
    /// on the same file system). If <paramref name="write"/> throws, the temporary file is deleted,
    /// <paramref name="path"/> is untouched and the exception propagates.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"AtomicFile.Write: '{path}' has no directory.", nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write {fullPath}: the folder {directory} does not exist.");
        }
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
