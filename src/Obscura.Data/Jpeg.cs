namespace Obscura.Data;

/// <summary>
/// A JPEG reader for Huffman-coded DCT images with 8-bit samples, sequential or progressive (ITU
/// T.81 SOF0, SOF1 and SOF2: spectral selection and successive approximation), grey or colour (YCbCr as JFIF defines it, or RGB when an Adobe marker says so or the components are named R, G, B)
/// with any chroma subsampling, interleaved or not, with restart intervals. Chroma is upsampled by
/// replication and the inverse DCT is computed in double precision once every scan is read.
/// An EXIF orientation is applied, so photos come out upright as viewers show them.
/// Arithmetic-coded, lossless, hierarchical, 12-bit and CMYK files are refused. Output as <see cref="Png"/>'s: planar bytes, one
/// channel for grey images and three for colour ones. Every error is an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static partial class Jpeg
{
    /// <summary>Natural (row-major) index of the k-th coefficient in zig-zag order.</summary>
    private static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>c[x, u] = C(u)/2 · cos((2x + 1)uπ/16), C(0) = 1/√2, C(u) = 1 otherwise.</summary>
    private static readonly double[] Basis = BuildBasis();

    /// <summary>True when <paramref name="file"/> starts with JPEG's SOI marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> file) => file.Length >= 2 && file[0] == 0xFF && file[1] == 0xD8;

    /// <summary>Decodes <paramref name="path"/>.</summary>
    public static (byte[] Pixels, int Channels, int Height, int Width) Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Decodes JPEG bytes; <paramref name="name"/> is used in error messages.</summary>
    public static (byte[] Pixels, int Channels, int Height, int Width) Decode(byte[] file, string name)
    {
        if (!IsJpeg(file))
        {
            throw Invalid(name, "not a JPEG file (it does not start with the SOI marker FF D8)");
        }
        var state = new DecoderState(name);
        int? orientation = null; // EXIF: how the camera was held
        var at = 2;
        while (true)
        {
            var marker = NextMarker(file, ref at, name);
            if (marker == 0xD9)
            {
                break; // EOI
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // stray RSTn or TEM: no segment
            }
            if (at + 2 > file.Length)
            {
                throw Invalid(name, "the file ends inside a marker segment (truncated?)");
            }
            var length = (file[at] << 8) | file[at + 1];
            if (length < 2 || at + length > file.Length)
            {
                throw Invalid(name, $"segment FF {marker:X2} at byte {at - 2} claims {length} bytes, past the end of the file (truncated?)");
            }
            var segment = file.AsSpan(at + 2, length - 2);
            at += length;
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    state.ReadFrame(segment, progressive: marker == 0xC2);
                    break;
                case >= 0xC3 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw Invalid(name, $"a JPEG of a kind this reader does not decode (SOF marker FF {marker:X2}: lossless, hierarchical or arithmetic-coded); save it as an ordinary JPEG or as PNG");
                case 0xC4:
                    state.ReadHuffmanTables(segment);
                    break;
                case 0xDB:
                    state.ReadQuantisationTables(segment);
                    break;
                case 0xDD:
                    state.RestartInterval = segment.Length >= 2 ? (segment[0] << 8) | segment[1] : throw Invalid(name, "a DRI segment shorter than 2 bytes");
                    break;
                case 0xDA:
                    at = state.DecodeScan(file, segment, at);
                    break;
                case 0xE1 when orientation is null:
                    orientation = ExifOrientation.Read(segment);
                    break;
                case 0xEE when segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8):
                    state.AdobeTransform = segment[11];
                    break;
            }
        }
        var (pixels, channels, height, width) = state.Output();
        (pixels, height, width) = ExifOrientation.Apply(pixels, channels, height, width, orientation ?? 1);
        return (pixels, channels, height, width);
    }

    private static int NextMarker(byte[] file, ref int at, string name)
    {
        while (at < file.Length && file[at] != 0xFF)
        {
            at++; // garbage between segments, as libjpeg tolerates
        }
        while (at < file.Length && file[at] == 0xFF)
        {
            at++; // fill bytes
        }
        if (at >= file.Length)
        {
            throw Invalid(name, "the file ends before its EOI marker (truncated?)");
        }
        return file[at++];
    }

    private static double[] BuildBasis()
    {
        var basis = new double[64];
        for (var x = 0; x < 8; x++)
        {
            for (var u = 0; u < 8; u++)
            {
                basis[x * 8 + u] = (u == 0 ? Math.Sqrt(0.5) : 1.0) / 2 * Math.Cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
        return basis;
    }

    private static InvalidDataException Invalid(string name, string problem) => new($"{name}: {problem}.");

    private sealed class Component(int id, int h, int v, int table)
    {
        public int Id { get; } = id;
        public int H { get; } = h;
        public int V { get; } = v;
        public int QuantTable { get; } = table;
        public int DcTable { get; set; }
        public int AcTable { get; set; }
        public int Predictor { get; set; }
        public byte[] Plane { get; set; } = [];
        public int PlaneWidth { get; set; }

        /// <summary>Quantised coefficients, natural order, 64 per block, blocks row by row over the MCU-padded plane.</summary>
        public int[] Coefficients { get; set; } = [];

        public int BlocksPerLine => PlaneWidth / 8;

        public Span<int> Block(int row, int column) => Coefficients.AsSpan((row * BlocksPerLine + column) * 64, 64);
    }
}
