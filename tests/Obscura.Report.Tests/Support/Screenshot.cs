namespace Obscura.Report.Tests.Support;

/// <summary>A screenshot read with the product's PNG reader, so a test can count the pixels of a colour.</summary>
public sealed class Screenshot
{
    private readonly byte[] planar; // [3, Height, Width]

    private Screenshot(byte[] planar, int height, int width) => (this.planar, Height, Width) = (planar, height, width);

    public int Width { get; }
    public int Height { get; }

    public static Screenshot Read(string path)
    {
        var (pixels, channels, height, width) = Data.Png.Read(path);
        return channels == 3 ? new Screenshot(pixels, height, width) : throw new InvalidDataException($"{path}: a grey screenshot; colour expected.");
    }

    /// <summary>How many pixels are within <paramref name="tolerance"/> per channel of the colour #rrggbb.</summary>
    public int Count(string hex, int tolerance = 8)
    {
        var (r, g, b) = (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
        var plane = Width * Height;
        var n = 0;
        for (var i = 0; i < plane; i++)
        {
            if (Math.Abs(planar[i] - r) <= tolerance && Math.Abs(planar[plane + i] - g) <= tolerance && Math.Abs(planar[2 * plane + i] - b) <= tolerance)
            {
                n++;
            }
        }
        return n;
    }
}
