namespace Obscura.Data;

/// <summary>Reads a PNG or JPEG file, told apart by its first bytes rather than its name.</summary>
public static class ImageFile
{
    /// <summary>File name endings an image folder reads.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Planar bytes [channels, height, width]: one channel for grey images, three for colour ones.</summary>
    /// <exception cref="InvalidDataException">The file is neither PNG nor JPEG, or is malformed; the message names it.</exception>
    public static (byte[] Pixels, int Channels, int Height, int Width) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Jpeg.IsJpeg(bytes) ? Jpeg.Decode(bytes, path)
            : bytes.Length >= 4 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G' ? Png.Decode(bytes, path)
            : throw new InvalidDataException($"{path}: neither a PNG nor a JPEG file (by its first bytes).");
    }

    /// <summary>True when <paramref name="file"/>'s name ends in one of <see cref="Extensions"/>.</summary>
    public static bool HasImageExtension(string file) => Extensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
