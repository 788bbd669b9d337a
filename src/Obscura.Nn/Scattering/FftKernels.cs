using System.Numerics;
using System.Runtime.InteropServices;

namespace Obscura.Nn.Scattering;

/// <summary>
/// The butterflies of one Stockham stage (see <see cref="FftPlan"/>). For q &lt; m the p inputs are
/// the blocks a_k = src[(q + k·m)·block ..] and the p outputs are
/// y_r = w^{r·q} · Σ_k a_k·ω^{r·k} written to dst[(p·q + r)·block ..], with ω = e^{∓2πi/p} and the
/// stage twiddle w = e^{∓2πi/(p·m)} (upper sign forward). Each block is block contiguous floats
/// per plane; the loops run over them with <see cref="Vector{T}"/> and finish the tail in scalars.
/// </summary>
internal static class FftKernels
{
    private static readonly float Sin60 = (float)(Math.Sqrt(3) / 2);
    private static readonly float Cos72 = (float)Math.Cos(2 * Math.PI / 5);
    private static readonly float Cos144 = (float)Math.Cos(4 * Math.PI / 5);
    private static readonly float Sin72 = (float)Math.Sin(2 * Math.PI / 5);
    private static readonly float Sin144 = (float)Math.Sin(4 * Math.PI / 5);

    public static void Stage(int p, int m, int block, Span<float> srcRe, Span<float> srcIm, Span<float> dstRe, Span<float> dstIm,
        float[] twRe, float[] twIm, bool inverse)
    {
        var sign = inverse ? -1f : 1f; // conjugates the forward twiddles and roots for the inverse
        for (var q = 0; q < m; q++)
        {
            switch (p)
            {
                case 2:
                    Radix2(In(srcRe, q, 0, m, block), In(srcIm, q, 0, m, block), In(srcRe, q, 1, m, block), In(srcIm, q, 1, m, block),
                        Out(dstRe, q, 0, 2, block), Out(dstIm, q, 0, 2, block), Out(dstRe, q, 1, 2, block), Out(dstIm, q, 1, 2, block),
                        twRe[q], sign * twIm[q]);
                    break;
                case 4:
                    Radix4(srcRe, srcIm, dstRe, dstIm, q, m, block, twRe, twIm, sign);
                    break;
                case 3:
                    Radix3(srcRe, srcIm, dstRe, dstIm, q, m, block, twRe, twIm, sign);
                    break;
                case 5:
                    Radix5(srcRe, srcIm, dstRe, dstIm, q, m, block, twRe, twIm, sign);
                    break;
                default:
                    RadixGeneric(p, srcRe, srcIm, dstRe, dstIm, q, m, block, twRe, twIm, sign);
                    break;
            }
        }
    }

    private static Span<float> In(Span<float> x, int q, int k, int m, int block) => x.Slice((q + k * m) * block, block);

    private static Span<float> Out(Span<float> x, int q, int r, int p, int block) => x.Slice((p * q + r) * block, block);

    private static Span<Vector<float>> V(Span<float> x) => MemoryMarshal.Cast<float, Vector<float>>(x);

    private static void Radix2(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi,
        Span<float> y0r, Span<float> y0i, Span<float> y1r, Span<float> y1i, float wr, float wi)
    {
        var n = ar.Length;
        var vn = n / Vector<float>.Count;
        var var0 = V(ar);
        var vai = V(ai);
        var vbr = V(br);
        var vbi = V(bi);
        var v0r = V(y0r);
        var v0i = V(y0i);
        var v1r = V(y1r);
        var v1i = V(y1i);
        for (var i = 0; i < vn; i++)
        {
            var dr = var0[i] - vbr[i];
            var di = vai[i] - vbi[i];
            v0r[i] = var0[i] + vbr[i];
            v0i[i] = vai[i] + vbi[i];
            v1r[i] = dr * wr - di * wi;
            v1i[i] = dr * wi + di * wr;
        }
        for (var i = vn * Vector<float>.Count; i < n; i++)
        {
            var dr = ar[i] - br[i];
            var di = ai[i] - bi[i];
            y0r[i] = ar[i] + br[i];
            y0i[i] = ai[i] + bi[i];
            y1r[i] = dr * wr - di * wi;
            y1i[i] = dr * wi + di * wr;
        }
    }

    private static void Radix4(Span<float> sRe, Span<float> sIm, Span<float> dRe, Span<float> dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        Span<float> a0r = In(sRe, q, 0, m, block), a0i = In(sIm, q, 0, m, block), a1r = In(sRe, q, 1, m, block), a1i = In(sIm, q, 1, m, block);
        Span<float> a2r = In(sRe, q, 2, m, block), a2i = In(sIm, q, 2, m, block), a3r = In(sRe, q, 3, m, block), a3i = In(sIm, q, 3, m, block);
        Span<float> y0r = Out(dRe, q, 0, 4, block), y0i = Out(dIm, q, 0, 4, block), y1r = Out(dRe, q, 1, 4, block), y1i = Out(dIm, q, 1, 4, block);
        Span<float> y2r = Out(dRe, q, 2, 4, block), y2i = Out(dIm, q, 2, 4, block), y3r = Out(dRe, q, 3, 4, block), y3i = Out(dIm, q, 3, 4, block);
        float w1r = twRe[q], w1i = sign * twIm[q], w2r = twRe[m + q], w2i = sign * twIm[m + q], w3r = twRe[2 * m + q], w3i = sign * twIm[2 * m + q];
        var vn = block / Vector<float>.Count;
        var va0r = V(a0r);
        var va0i = V(a0i);
        var va1r = V(a1r);
        var va1i = V(a1i);
        var va2r = V(a2r);
        var va2i = V(a2i);
        var va3r = V(a3r);
        var va3i = V(a3i);
        var vy0r = V(y0r);
        var vy0i = V(y0i);
        var vy1r = V(y1r);
        var vy1i = V(y1i);
        var vy2r = V(y2r);
        var vy2i = V(y2i);
        var vy3r = V(y3r);
        var vy3i = V(y3i);
        for (var i = 0; i < vn; i++)
        {
            var t0r = va0r[i] + va2r[i]; var t0i = va0i[i] + va2i[i];
            var t1r = va0r[i] - va2r[i]; var t1i = va0i[i] - va2i[i];
            var t2r = va1r[i] + va3r[i]; var t2i = va1i[i] + va3i[i];
            // t3 = ∓i·(a1 − a3): forward multiplies by −i, inverse by +i.
            var t3r = (va1i[i] - va3i[i]) * sign; var t3i = (va3r[i] - va1r[i]) * sign;
            vy0r[i] = t0r + t2r; vy0i[i] = t0i + t2i;
            var ur = t1r + t3r; var ui = t1i + t3i;
            vy1r[i] = ur * w1r - ui * w1i; vy1i[i] = ur * w1i + ui * w1r;
            ur = t0r - t2r; ui = t0i - t2i;
            vy2r[i] = ur * w2r - ui * w2i; vy2i[i] = ur * w2i + ui * w2r;
            ur = t1r - t3r; ui = t1i - t3i;
            vy3r[i] = ur * w3r - ui * w3i; vy3i[i] = ur * w3i + ui * w3r;
        }
        for (var i = vn * Vector<float>.Count; i < block; i++)
        {
            var t0r = a0r[i] + a2r[i]; var t0i = a0i[i] + a2i[i];
            var t1r = a0r[i] - a2r[i]; var t1i = a0i[i] - a2i[i];
            var t2r = a1r[i] + a3r[i]; var t2i = a1i[i] + a3i[i];
            var t3r = (a1i[i] - a3i[i]) * sign; var t3i = (a3r[i] - a1r[i]) * sign;
            y0r[i] = t0r + t2r; y0i[i] = t0i + t2i;
            var ur = t1r + t3r; var ui = t1i + t3i;
            y1r[i] = ur * w1r - ui * w1i; y1i[i] = ur * w1i + ui * w1r;
            ur = t0r - t2r; ui = t0i - t2i;
            y2r[i] = ur * w2r - ui * w2i; y2i[i] = ur * w2i + ui * w2r;
            ur = t1r - t3r; ui = t1i - t3i;
            y3r[i] = ur * w3r - ui * w3i; y3i[i] = ur * w3i + ui * w3r;
        }
    }

    private static void Radix3(Span<float> sRe, Span<float> sIm, Span<float> dRe, Span<float> dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        Span<float> a0r = In(sRe, q, 0, m, block), a0i = In(sIm, q, 0, m, block), a1r = In(sRe, q, 1, m, block), a1i = In(sIm, q, 1, m, block);
        Span<float> a2r = In(sRe, q, 2, m, block), a2i = In(sIm, q, 2, m, block);
        Span<float> y0r = Out(dRe, q, 0, 3, block), y0i = Out(dIm, q, 0, 3, block), y1r = Out(dRe, q, 1, 3, block), y1i = Out(dIm, q, 1, 3, block);
        Span<float> y2r = Out(dRe, q, 2, 3, block), y2i = Out(dIm, q, 2, 3, block);
        float w1r = twRe[q], w1i = sign * twIm[q], w2r = twRe[m + q], w2i = sign * twIm[m + q];
        // ω = e^{∓2πi/3} = −1/2 ∓ i·√3/2: y1 = a0 − s/2 + i·sn·d, y2 = a0 − s/2 − i·sn·d (s = a1 + a2, d = a1 − a2).
        var sn = -sign * Sin60;
        var vn = block / Vector<float>.Count;
        var va0r = V(a0r);
        var va0i = V(a0i);
        var va1r = V(a1r);
        var va1i = V(a1i);
        var va2r = V(a2r);
        var va2i = V(a2i);
        var vy0r = V(y0r);
        var vy0i = V(y0i);
        var vy1r = V(y1r);
        var vy1i = V(y1i);
        var vy2r = V(y2r);
        var vy2i = V(y2i);
        for (var i = 0; i < vn; i++)
        {
            var sr = va1r[i] + va2r[i]; var si = va1i[i] + va2i[i];
            var dr = (va1r[i] - va2r[i]) * sn; var di = (va1i[i] - va2i[i]) * sn;
            var cr = va0r[i] - 0.5f * sr; var ci = va0i[i] - 0.5f * si;
            vy0r[i] = va0r[i] + sr; vy0i[i] = va0i[i] + si;
            var ur = cr - di; var ui = ci + dr;
            vy1r[i] = ur * w1r - ui * w1i; vy1i[i] = ur * w1i + ui * w1r;
            ur = cr + di; ui = ci - dr;
            vy2r[i] = ur * w2r - ui * w2i; vy2i[i] = ur * w2i + ui * w2r;
        }
        for (var i = vn * Vector<float>.Count; i < block; i++)
        {
            var sr = a1r[i] + a2r[i]; var si = a1i[i] + a2i[i];
            var dr = (a1r[i] - a2r[i]) * sn; var di = (a1i[i] - a2i[i]) * sn;
            var cr = a0r[i] - 0.5f * sr; var ci = a0i[i] - 0.5f * si;
            y0r[i] = a0r[i] + sr; y0i[i] = a0i[i] + si;
            var ur = cr - di; var ui = ci + dr;
            y1r[i] = ur * w1r - ui * w1i; y1i[i] = ur * w1i + ui * w1r;
            ur = cr + di; ui = ci - dr;
            y2r[i] = ur * w2r - ui * w2i; y2i[i] = ur * w2i + ui * w2r;
        }
    }

    private static void Radix5(Span<float> sRe, Span<float> sIm, Span<float> dRe, Span<float> dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        // With s14 = a1 + a4, d14 = a1 − a4, s23 = a2 + a3, d23 = a2 − a3 and ω = c1 + i·s1:
        // y1,4 = a0 + c1·s14 + c2·s23 ± i(s1·d14 + s2·d23); y2,3 = a0 + c2·s14 + c1·s23 ± i(s2·d14 − s1·d23).
        float s1 = -sign * Sin72, s2 = -sign * Sin144, c1 = Cos72, c2 = Cos144;
        for (var i = 0; i < block; i++)
        {
            float a0r = sRe[q * block + i], a0i = sIm[q * block + i];
            float a1r = sRe[(q + m) * block + i], a1i = sIm[(q + m) * block + i];
            float a2r = sRe[(q + 2 * m) * block + i], a2i = sIm[(q + 2 * m) * block + i];
            float a3r = sRe[(q + 3 * m) * block + i], a3i = sIm[(q + 3 * m) * block + i];
            float a4r = sRe[(q + 4 * m) * block + i], a4i = sIm[(q + 4 * m) * block + i];
            float s14r = a1r + a4r, s14i = a1i + a4i, d14r = a1r - a4r, d14i = a1i - a4i;
            float s23r = a2r + a3r, s23i = a2i + a3i, d23r = a2r - a3r, d23i = a2i - a3i;
            dRe[5 * q * block + i] = a0r + s14r + s23r;
            dIm[5 * q * block + i] = a0i + s14i + s23i;
            float pr = a0r + c1 * s14r + c2 * s23r, pi = a0i + c1 * s14i + c2 * s23i;
            float er = s1 * d14r + s2 * d23r, ei = s1 * d14i + s2 * d23i; // y1 = p + i·e, y4 = p − i·e
            Put(dRe, dIm, (5 * q + 1) * block + i, pr - ei, pi + er, twRe[q], sign * twIm[q]);
            Put(dRe, dIm, (5 * q + 4) * block + i, pr + ei, pi - er, twRe[3 * m + q], sign * twIm[3 * m + q]);
            pr = a0r + c2 * s14r + c1 * s23r; pi = a0i + c2 * s14i + c1 * s23i;
            er = s2 * d14r - s1 * d23r; ei = s2 * d14i - s1 * d23i;
            Put(dRe, dIm, (5 * q + 2) * block + i, pr - ei, pi + er, twRe[m + q], sign * twIm[m + q]);
            Put(dRe, dIm, (5 * q + 3) * block + i, pr + ei, pi - er, twRe[2 * m + q], sign * twIm[2 * m + q]);
        }
    }

    private static void Put(Span<float> re, Span<float> im, int at, float ur, float ui, float wr, float wi)
    {
        re[at] = ur * wr - ui * wi;
        im[at] = ur * wi + ui * wr;
    }

    // Any other prime p: y_r = w^{r·q} Σ_k a_k ω^{r·k}, O(p²) per element; only for unusual sizes.
    private static void RadixGeneric(int p, Span<float> sRe, Span<float> sIm, Span<float> dRe, Span<float> dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        for (var r = 0; r < p; r++)
        {
            var yr = Out(dRe, q, r, p, block);
            var yi = Out(dIm, q, r, p, block);
            yr.Clear();
            yi.Clear();
            for (var k = 0; k < p; k++)
            {
                var angle = -2.0 * Math.PI * (r * k % p) / p;
                var cr = (float)Math.Cos(angle);
                var ci = sign * (float)Math.Sin(angle);
                var ar = In(sRe, q, k, m, block);
                var ai = In(sIm, q, k, m, block);
                for (var i = 0; i < block; i++)
                {
                    yr[i] += ar[i] * cr - ai[i] * ci;
                    yi[i] += ar[i] * ci + ai[i] * cr;
                }
            }
            if (r > 0)
            {
                float wr = twRe[(r - 1) * m + q], wi = sign * twIm[(r - 1) * m + q];
                for (var i = 0; i < block; i++)
                {
                    var ur = yr[i];
                    var ui = yi[i];
                    yr[i] = ur * wr - ui * wi;
                    yi[i] = ur * wi + ui * wr;
                }
            }
        }
    }
}
