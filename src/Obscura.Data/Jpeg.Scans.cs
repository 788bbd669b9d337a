namespace Obscura.Data;

/// <summary>Jpeg's decoder state: frame, tables, and the walk over a scan's blocks.</summary>
public static partial class Jpeg
{
    private sealed partial class DecoderState(string name)
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

        /// <summary>The Adobe APP14 marker's colour transform (0: none, RGB; 1: YCbCr), or null without one.</summary>
        public int? AdobeTransform { get; set; }

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
    }
}
