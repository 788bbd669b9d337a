namespace Obscura.Data;

/// <summary>Jpeg's block decoding (sequential and progressive), inverse DCT and colour conversion.</summary>
public static partial class Jpeg
{
    private sealed partial class DecoderState
    {
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
            // As libjpeg decides: an Adobe marker's transform flag if there is one, else component ids 'R', 'G', 'B' mean RGB.
            var named = AdobeTransform is { } transform ? transform == 0 : components.Select(c => c.Id).SequenceEqual(new[] { 82, 71, 66 });
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
