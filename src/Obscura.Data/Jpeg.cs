namespace Obscura.Data;

/// <summary>
/// A JPEG reader for Huffman-coded DCT images with 8-bit samples, sequential or progressive (ITU
/// T.81 SOF0, SOF1 and SOF2: spectral selection and successive approximation), grey or colour (YCbCr as JFIF defines it, or RGB when the components are named R, G, B)
/// with any chroma subsampling, interleaved or not, with restart intervals. Chroma is upsampled by
/// replication and the inverse DCT is computed in double precision once every scan is read.
/// Arithmetic-coded, lossless, hierarchical, 12-bit and CMYK files are refused. Output as <see cref="Png"/>'s: planar bytes, one
/// channel for grey images and three for colour ones. Every error is an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class Jpeg
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
            }
        }
        return state.Output();
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

    /// <summary>A Huffman table as T.81 Annex F.2.2.3 decodes it: per code length, the largest code and where its values start.</summary>
    private sealed class Huffman
    {
        private readonly int[] maxCode = new int[18];
        private readonly int[] valueOffset = new int[17];
        private readonly byte[] values;

        public Huffman(ReadOnlySpan<byte> counts, byte[] values, string name)
        {
            this.values = values;
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                valueOffset[length] = k - code;
                code += counts[length - 1];
                k += counts[length - 1];
                maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
                if (code > 1 << length)
                {
                    throw Invalid(name, "a Huffman table with more codes than its code lengths allow");
                }
                code <<= 1;
            }
            maxCode[17] = int.MaxValue;
        }

        public int Decode(ref BitReader bits)
        {
            var code = bits.Bit();
            for (var length = 1; length <= 16; length++)
            {
                if (code <= maxCode[length])
                {
                    var index = valueOffset[length] + code;
                    return index < values.Length ? values[index] : throw bits.Error("a Huffman code beyond its table");
                }
                code = (code << 1) | bits.Bit();
            }
            throw bits.Error("an invalid Huffman code");
        }
    }

    /// <summary>Entropy-coded bits, with 0xFF00 unstuffed; at a marker it supplies zeros (as T.81 decoders do).</summary>
    private ref struct BitReader(byte[] file, int at, string name)
    {
        private int buffer;
        private int count;

        public int At { get; private set; } = at;

        public int Bit()
        {
            if (count == 0)
            {
                buffer = NextByte();
                count = 8;
            }
            count--;
            return (buffer >> count) & 1;
        }

        public int Bits(int n)
        {
            var v = 0;
            for (var i = 0; i < n; i++)
            {
                v = (v << 1) | Bit();
            }
            return v;
        }

        /// <summary>Drops the bits left in the current byte (before a restart marker).</summary>
        public void Align() => count = 0;

        public readonly InvalidDataException Error(string problem) => Invalid(name, $"{problem} in the image data near byte {At}");

        private int NextByte()
        {
            if (At >= file.Length)
            {
                throw Error("the image data runs past the end of the file (truncated?)");
            }
            var b = file[At];
            if (b != 0xFF)
            {
                At++;
                return b;
            }
            if (At + 1 < file.Length && file[At + 1] == 0x00)
            {
                At += 2;
                return 0xFF;
            }
            return 0; // a marker: stay on it and pad with zeros
        }

        /// <summary>Expects and consumes a RSTn marker at the current position.</summary>
        public void Restart()
        {
            Align();
            while (At + 1 < file.Length && file[At] == 0xFF && file[At + 1] == 0xFF)
            {
                At++;
            }
            if (At + 1 >= file.Length || file[At] != 0xFF || file[At + 1] is < 0xD0 or > 0xD7)
            {
                throw Error("a missing restart marker");
            }
            At += 2;
        }
    }

    private sealed class DecoderState(string name)
    {
        private readonly ushort[][] quant = new ushort[4][];
        private readonly Huffman?[] dc = new Huffman?[4];
        private readonly Huffman?[] ac = new Huffman?[4];
        private Component[] components = [];
        private int width;
        private int height;
        private int maxH;
        private int maxV;
        private bool decodedAnyScan;
        private bool progressive;
        private int endOfBandRun; // progressive AC scans: blocks left whose band is all zero

        public int RestartInterval { get; set; }

        public void ReadFrame(ReadOnlySpan<byte> s, bool progressive)
        {
            this.progressive = progressive;
            if (components.Length > 0)
            {
                throw Invalid(name, "more than one frame header");
            }
            if (s.Length < 6 || s[0] != 8)
            {
                throw Invalid(name, s.Length < 6 ? "a frame header shorter than 6 bytes" : $"{s[0]}-bit samples; this reader decodes 8-bit JPEG only");
            }
            height = (s[1] << 8) | s[2];
            width = (s[3] << 8) | s[4];
            var count = s[5];
            if (height == 0 || width == 0 || height > Png.MaxSide || width > Png.MaxSide)
            {
                throw Invalid(name, $"size {width}×{height} is outside 1…{Png.MaxSide} pixels per side");
            }
            if (count is not (1 or 3) || s.Length < 6 + 3 * count)
            {
                throw Invalid(name, count == 4 ? "a four-component (CMYK) JPEG; save it as RGB" : $"{count} components; grey (1) or colour (3) expected");
            }
            components = new Component[count];
            for (var i = 0; i < count; i++)
            {
                var c = s.Slice(6 + 3 * i, 3);
                int h = c[1] >> 4, v = c[1] & 15;
                if (h is < 1 or > 4 || v is < 1 or > 4 || c[2] > 3)
                {
                    throw Invalid(name, $"component {c[0]} has sampling {h}×{v} or quantisation table {c[2]} outside T.81's range");
                }
                components[i] = new Component(c[0], h, v, c[2]);
            }
            maxH = components.Max(c => c.H);
            maxV = components.Max(c => c.V);
            var mcusX = (width + 8 * maxH - 1) / (8 * maxH);
            var mcusY = (height + 8 * maxV - 1) / (8 * maxV);
            foreach (var c in components)
            {
                c.PlaneWidth = mcusX * c.H * 8;
                c.Plane = new byte[c.PlaneWidth * mcusY * c.V * 8];
                c.Coefficients = new int[c.Plane.Length];
            }
        }

        public void ReadQuantisationTables(ReadOnlySpan<byte> s)
        {
            while (s.Length > 0)
            {
                int precision = s[0] >> 4, id = s[0] & 15;
                var size = precision == 0 ? 64 : 128;
                if (id > 3 || precision > 1 || s.Length < 1 + size)
                {
                    throw Invalid(name, "a malformed quantisation table (DQT)");
                }
                var table = new ushort[64];
                for (var k = 0; k < 64; k++)
                {
                    table[k] = precision == 0 ? s[1 + k] : (ushort)((s[1 + 2 * k] << 8) | s[2 + 2 * k]);
                }
                quant[id] = table;
                s = s[(1 + size)..];
            }
        }

        public void ReadHuffmanTables(ReadOnlySpan<byte> s)
        {
            while (s.Length > 0)
            {
                if (s.Length < 17)
                {
                    throw Invalid(name, "a malformed Huffman table (DHT)");
                }
                int kind = s[0] >> 4, id = s[0] & 15;
                var counts = s.Slice(1, 16);
                var total = 0;
                foreach (var n in counts)
                {
                    total += n;
                }
                if (kind > 1 || id > 3 || total > 256 || s.Length < 17 + total)
                {
                    throw Invalid(name, "a malformed Huffman table (DHT)");
                }
                var table = new Huffman(counts, s.Slice(17, total).ToArray(), name);
                (kind == 0 ? dc : ac)[id] = table;
                s = s[(17 + total)..];
            }
        }

        /// <summary>Decodes one scan whose header is <paramref name="s"/> and whose data starts at <paramref name="at"/>; returns where the data ends.</summary>
        public int DecodeScan(byte[] file, ReadOnlySpan<byte> s, int at)
        {
            if (components.Length == 0)
            {
                throw Invalid(name, "image data (SOS) before the frame header (SOF)");
            }
            var count = s.Length > 0 ? s[0] : 0;
            if (count < 1 || s.Length < 1 + 2 * count + 3)
            {
                throw Invalid(name, "a malformed scan header (SOS)");
            }
            var scan = new Component[count];
            for (var i = 0; i < count; i++)
            {
                var id = s[1 + 2 * i];
                var c = components.FirstOrDefault(c => c.Id == id) ?? throw Invalid(name, $"a scan names component {id}, which the frame does not have");
                c.DcTable = s[2 + 2 * i] >> 4;
                c.AcTable = s[2 + 2 * i] & 15;
                if (c.DcTable > 3 || c.AcTable > 3 || quant[c.QuantTable] is null)
                {
                    throw Invalid(name, $"component {id} uses a Huffman or quantisation table the file does not define");
                }
                c.Predictor = 0;
                scan[i] = c;
            }
            var spectral = s.Slice(1 + 2 * count, 3);
            int start = spectral[0], end = spectral[1], high = spectral[2] >> 4, low = spectral[2] & 15;
            var valid = progressive
                ? start <= end && end <= 63 && (start == 0 ? end == 0 : count == 1) && low <= 13
                : start == 0 && end == 63 && spectral[2] == 0;
            if (!valid)
            {
                throw Invalid(name, $"a scan with spectral band {start}…{end} and approximation {high}/{low}, which T.81 does not allow here");
            }
            foreach (var c in scan)
            {
                var needsDc = start == 0 && high == 0;
                var needsAc = end > 0;
                if ((needsDc && dc[c.DcTable] is null) || (needsAc && ac[c.AcTable] is null))
                {
                    throw Invalid(name, $"component {c.Id} uses a Huffman table the file does not define");
                }
            }
            endOfBandRun = 0;
            var bits = new BitReader(file, at, name);
            // One component alone is coded block by block over its own extent; several are interleaved in MCUs.
            int unitsX, unitsY;
            if (count == 1)
            {
                var c = scan[0];
                unitsX = ((width * c.H + maxH - 1) / maxH + 7) / 8;
                unitsY = ((height * c.V + maxV - 1) / maxV + 7) / 8;
            }
            else
            {
                unitsX = (width + 8 * maxH - 1) / (8 * maxH);
                unitsY = (height + 8 * maxV - 1) / (8 * maxV);
            }
            var units = unitsX * unitsY;
            for (var unit = 0; unit < units; unit++)
            {
                if (RestartInterval > 0 && unit > 0 && unit % RestartInterval == 0)
                {
                    bits.Restart();
                    endOfBandRun = 0;
                    foreach (var c in scan)
                    {
                        c.Predictor = 0;
                    }
                }
                int ux = unit % unitsX, uy = unit / unitsX;
                foreach (var c in scan)
                {
                    var (blocksX, blocksY) = count == 1 ? (1, 1) : (c.H, c.V);
                    for (var by = 0; by < blocksY; by++)
                    {
                        for (var bx = 0; bx < blocksX; bx++)
                        {
                            var block = c.Block(uy * blocksY + by, ux * blocksX + bx);
                            if (!progressive)
                            {
                                DecodeBlock(ref bits, c, block);
                            }
                            else if (start == 0)
                            {
                                DecodeDc(ref bits, c, block, high, low);
                            }
                            else if (high == 0)
                            {
                                DecodeAcFirst(ref bits, c, block, start, end, low);
                            }
                            else
                            {
                                DecodeAcRefine(ref bits, c, block, start, end, low);
                            }
                        }
                    }
                }
            }
            decodedAnyScan = true;
            return bits.At;
        }

        private void DecodeBlock(ref BitReader bits, Component c, Span<int> coefficients)
        {
            coefficients.Clear();
            coefficients[0] = NextDc(ref bits, c);
            var table = ac[c.AcTable]!;
            for (var k = 1; k < 64;)
            {
                var rs = table.Decode(ref bits);
                int run = rs >> 4, size = rs & 15;
                if (size == 0)
                {
                    if (run != 15)
                    {
                        break; // end of block
                    }
                    k += 16;
                    continue;
                }
                k += run;
                if (k > 63)
                {
                    throw bits.Error("an AC coefficient beyond the 64th");
                }
                coefficients[ZigZag[k]] = Extend(bits.Bits(size), size);
                k++;
            }
        }

        private int NextDc(ref BitReader bits, Component c)
        {
            var t = dc[c.DcTable]!.Decode(ref bits);
            if (t > 11)
            {
                throw bits.Error($"a DC difference of {t} bits (at most 11 in 8-bit JPEG)");
            }
            c.Predictor += Extend(bits.Bits(t), t);
            return c.Predictor;
        }

        // T.81 G.1.2.1: the DC coefficient's first bits (scaled by 2^low), or one more bit of it.
        private void DecodeDc(ref BitReader bits, Component c, Span<int> block, int high, int low)
        {
            if (high == 0)
            {
                block[0] = NextDc(ref bits, c) * (1 << low);
            }
            else if (bits.Bit() == 1)
            {
                block[0] |= 1 << low;
            }
        }

        // T.81 G.1.2.2: a band's first bits, with runs of all-zero bands across blocks (EOBRUN).
        private void DecodeAcFirst(ref BitReader bits, Component c, Span<int> block, int start, int end, int low)
        {
            if (endOfBandRun > 0)
            {
                endOfBandRun--;
                return;
            }
            var table = ac[c.AcTable]!;
            for (var k = start; k <= end;)
            {
                var rs = table.Decode(ref bits);
                int run = rs >> 4, size = rs & 15;
                if (size == 0)
                {
                    if (run < 15)
                    {
                        endOfBandRun = (1 << run) - 1 + (run > 0 ? bits.Bits(run) : 0);
                        return;
                    }
                    k += 16;
                    continue;
                }
                k += run;
                if (k > end)
                {
                    throw bits.Error("an AC coefficient beyond its scan's band");
                }
                block[ZigZag[k]] = Extend(bits.Bits(size), size) * (1 << low);
                k++;
            }
        }

        // T.81 G.1.2.3: one more bit of every coefficient in the band. Coefficients already non-zero
        // get a correction bit each; the coded (run, 1) pairs place new coefficients of ±2^low,
        // counting only coefficients that are still zero in the run.
        private void DecodeAcRefine(ref BitReader bits, Component c, Span<int> block, int start, int end, int low)
        {
            int plus = 1 << low, minus = -1 << low;
            var k = start;
            if (endOfBandRun == 0)
            {
                var table = ac[c.AcTable]!;
                for (; k <= end; k++)
                {
                    var rs = table.Decode(ref bits);
                    int run = rs >> 4, size = rs & 15, value = 0;
                    if (size != 0)
                    {
                        if (size != 1)
                        {
                            throw bits.Error($"a refinement coefficient of {size} bits (1 expected)");
                        }
                        value = bits.Bit() == 1 ? plus : minus;
                    }
                    else if (run != 15)
                    {
                        endOfBandRun = (1 << run) + (run > 0 ? bits.Bits(run) : 0);
                        break;
                    }
                    for (; k <= end; k++)
                    {
                        ref var coefficient = ref block[ZigZag[k]];
                        if (coefficient != 0)
                        {
                            Correct(ref bits, ref coefficient, plus, minus);
                        }
                        else if (--run < 0)
                        {
                            break;
                        }
                    }
                    if (value != 0)
                    {
                        if (k > end)
                        {
                            throw bits.Error("a refinement coefficient beyond its scan's band");
                        }
                        block[ZigZag[k]] = value;
                    }
                }
            }
            if (endOfBandRun > 0)
            {
                for (; k <= end; k++)
                {
                    ref var coefficient = ref block[ZigZag[k]];
                    if (coefficient != 0)
                    {
                        Correct(ref bits, ref coefficient, plus, minus);
                    }
                }
                endOfBandRun--;
            }
        }

        private static void Correct(ref BitReader bits, ref int coefficient, int plus, int minus)
        {
            if (bits.Bit() == 1 && (coefficient & plus) == 0)
            {
                coefficient += coefficient >= 0 ? plus : minus;
            }
        }

        // T.81 F.2.2.1: a t-bit value whose top bit is 0 stands for a negative number.
        private static int Extend(int value, int t) => t == 0 ? 0 : value < 1 << (t - 1) ? value - (1 << t) + 1 : value;

        // Dequantises every block of the component and writes its inverse DCT into the plane.
        private void Reconstruct(Component c)
        {
            var q = quant[c.QuantTable];
            var f = new double[64];
            var samples = new byte[64];
            var rows = c.Plane.Length / c.PlaneWidth / 8;
            for (var row = 0; row < rows; row++)
            {
                for (var column = 0; column < c.BlocksPerLine; column++)
                {
                    var block = c.Block(row, column);
                    for (var k = 0; k < 64; k++)
                    {
                        f[ZigZag[k]] = block[ZigZag[k]] * q[k];
                    }
                    InverseDct(f, samples);
                    for (var y = 0; y < 8; y++)
                    {
                        samples.AsSpan(y * 8, 8).CopyTo(c.Plane.AsSpan((row * 8 + y) * c.PlaneWidth + column * 8, 8));
                    }
                }
            }
        }

        // f(y, x) = Σ_v Σ_u c[y, v] c[x, u] F(v, u), level-shifted by 128 and clamped.
        private static void InverseDct(double[] f, byte[] output)
        {
            Span<double> rows = stackalloc double[64];
            for (var v = 0; v < 8; v++)
            {
                for (var x = 0; x < 8; x++)
                {
                    double sum = 0;
                    for (var u = 0; u < 8; u++)
                    {
                        sum += Basis[x * 8 + u] * f[v * 8 + u];
                    }
                    rows[v * 8 + x] = sum;
                }
            }
            for (var y = 0; y < 8; y++)
            {
                for (var x = 0; x < 8; x++)
                {
                    double sum = 0;
                    for (var v = 0; v < 8; v++)
                    {
                        sum += Basis[y * 8 + v] * rows[v * 8 + x];
                    }
                    output[y * 8 + x] = (byte)Math.Clamp(Math.Round(sum + 128), 0, 255);
                }
            }
        }

        public (byte[] Pixels, int Channels, int Height, int Width) Output()
        {
            if (!decodedAnyScan)
            {
                throw Invalid(name, "no image data (no SOS segment before EOI)");
            }
            foreach (var c in components)
            {
                Reconstruct(c);
            }
            var plane = width * height;
            if (components.Length == 1)
            {
                var grey = new byte[plane];
                var c = components[0];
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        grey[y * width + x] = Sample(c, x, y);
                    }
                }
                return (grey, 1, height, width);
            }
            var rgb = new byte[3 * plane];
            var named = components.Select(c => c.Id).SequenceEqual(new[] { 82, 71, 66 }); // 'R', 'G', 'B': no colour transform
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    double a = Sample(components[0], x, y), b = Sample(components[1], x, y), c = Sample(components[2], x, y);
                    var (r, g, bl) = named ? (a, b, c) : (a + 1.402 * (c - 128), a - 0.344136 * (b - 128) - 0.714136 * (c - 128), a + 1.772 * (b - 128));
                    var at = y * width + x;
                    rgb[at] = ToByte(r);
                    rgb[plane + at] = ToByte(g);
                    rgb[2 * plane + at] = ToByte(bl);
                }
            }
            return (rgb, 3, height, width);
        }

        // The component's sample for image pixel (x, y), replicated when the component is subsampled.
        private byte Sample(Component c, int x, int y) => c.Plane[y * c.V / maxV * c.PlaneWidth + x * c.H / maxH];

        private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
    }
}
