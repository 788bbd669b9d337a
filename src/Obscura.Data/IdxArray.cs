namespace Obscura.Data;

/// <summary>
/// The content of one IDX file of unsigned bytes: its dimensions (outermost first, e.g.
/// [60000, 28, 28] for images, [60000] for labels) and the values, row-major.
/// </summary>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Data)
{
    /// <summary>Number of items (the outermost dimension).</summary>
    public int Count => Dimensions[0];

    /// <summary>"60000×28×28".</summary>
    public string DimensionsText => string.Join("×", Dimensions);
}
