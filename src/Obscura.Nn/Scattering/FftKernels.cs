using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Obscura.Nn.Scattering;

/// <summary>
/// The butterflies of one Stockham stage (see <see cref="FftPlan"/>). For q &lt; m the p inputs are
/// the blocks a_k = src[(q + k·m)·block ..] and the p outputs are
/// y_r = w^{r·q} · Σ_k a_k·ω^{r·k} written to dst[(p·q + r)·block ..], with ω = e^{∓2πi/p} and the
/// stage twiddle w = e^{∓2πi/(p·m)} (upper sign forward). Each block is `block` contiguous floats
/// per plane; loops run over them with <see cref="Vector{T}"/> and finish the tail in scalars.
/// </summary>
/// <remarks>
/// The loops address the planes through refs and element offsets instead of a dozen spans: with
/// sixteen live spans the JIT spills their pointers and lengths and the butterflies run at a third
/// of the speed. FftPlan.Transform and Stage check every length once before the loops run.
/// </remarks>
internal static class FftKernels
{
    private static readonly float Sin60 = (float)(Math.Sqrt(3) / 2);
    private static readonly float Cos72 = (float)Math.Cos(2 * Math.PI / 5);
    private static readonly float Cos144 = (float)Math.Cos(4 * Math.PI / 5);
    private static readonly float Sin72 = (float)Math.Sin(2 * Math.PI / 5);
    private static readonly float Sin144 = (float)Math.Sin(4 * Math.PI / 5);

    public static void Stage(int p, int m, int block, ReadOnlySpan<float> srcRe, ReadOnlySpan<float> srcIm, Span<float> dstRe, Span<float> dstIm,
        float[] twRe, float[] twIm, bool inverse)
    {
        var sign = inverse ? -1f : 1f; // conjugates the forward twiddles and roots for the inverse
        var length = p * m * block;
        if (srcRe.Length < length || srcIm.Length < length || dstRe.Length < length || dstIm.Length < length)
        {
            throw new ArgumentException($"FftKernels.Stage: radix {p}, m {m}, block {block} needs {length} floats per plane.");
        }
        // The kernels only read through these refs.
        ref var sRe = ref MemoryMarshal.GetReference(srcRe);
        ref var sIm = ref MemoryMarshal.GetReference(srcIm);
        ref var dRe = ref MemoryMarshal.GetReference(dstRe);
        ref var dIm = ref MemoryMarshal.GetReference(dstIm);
        for (var q = 0; q < m; q++)
        {
            switch (p)
            {
                case 2:
                    Radix2(ref sRe, ref sIm, ref dRe, ref dIm, q, m, block, twRe[q], sign * twIm[q]);
                    break;
                case 4:
                    Radix4(ref sRe, ref sIm, ref dRe, ref dIm, q, m, block, twRe, twIm, sign);
                    break;
                case 3:
                    Radix3(ref sRe, ref sIm, ref dRe, ref dIm, q, m, block, twRe, twIm, sign);
                    break;
                case 5:
                    Radix5(ref sRe, ref sIm, ref dRe, ref dIm, q, m, block, twRe, twIm, sign);
                    break;
                default:
                    RadixGeneric(p, srcRe, srcIm, dstRe, dstIm, q, m, block, twRe, twIm, sign);
                    break;
            }
        }
    }

    private static ReadOnlySpan<float> In(ReadOnlySpan<float> x, int q, int k, int m, int block) => x.Slice((q + k * m) * block, block);

    private static Span<float> Out(Span<float> x, int q, int r, int p, int block) => x.Slice((p * q + r) * block, block);

    private static Vector<float> Load(ref float plane, int at) => Vector.LoadUnsafe(ref plane, (nuint)at);

    private static void Store(Vector<float> value, ref float plane, int at) => Vector.StoreUnsafe(value, ref plane, (nuint)at);

    private static ref float At(ref float plane, int at) => ref Unsafe.Add(ref plane, at);

    private static void Radix2(ref float sRe, ref float sIm, ref float dRe, ref float dIm, int q, int m, int block, float wr, float wi)
    {
        int a = q * block, b = (q + m) * block, y0 = 2 * q * block, y1 = y0 + block, i = 0;
        for (; i <= block - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> ar = Load(ref sRe, a + i), ai = Load(ref sIm, a + i), br = Load(ref sRe, b + i), bi = Load(ref sIm, b + i);
            Vector<float> dr = ar - br, di = ai - bi;
            Store(ar + br, ref dRe, y0 + i);
            Store(ai + bi, ref dIm, y0 + i);
            Store(dr * wr - di * wi, ref dRe, y1 + i);
            Store(dr * wi + di * wr, ref dIm, y1 + i);
        }
        for (; i < block; i++)
        {
            float ar = At(ref sRe, a + i), ai = At(ref sIm, a + i), br = At(ref sRe, b + i), bi = At(ref sIm, b + i);
            float dr = ar - br, di = ai - bi;
            At(ref dRe, y0 + i) = ar + br;
            At(ref dIm, y0 + i) = ai + bi;
            At(ref dRe, y1 + i) = dr * wr - di * wi;
            At(ref dIm, y1 + i) = dr * wi + di * wr;
        }
    }

    private static void Radix4(ref float sRe, ref float sIm, ref float dRe, ref float dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        int step = m * block, a0 = q * block, a1 = a0 + step, a2 = a1 + step, a3 = a2 + step;
        int y0 = 4 * q * block, y1 = y0 + block, y2 = y1 + block, y3 = y2 + block, i = 0;
        float w1r = twRe[q], w1i = sign * twIm[q], w2r = twRe[m + q], w2i = sign * twIm[m + q], w3r = twRe[2 * m + q], w3i = sign * twIm[2 * m + q];
        for (; i <= block - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> x0r = Load(ref sRe, a0 + i), x0i = Load(ref sIm, a0 + i), x2r = Load(ref sRe, a2 + i), x2i = Load(ref sIm, a2 + i);
            Vector<float> t0r = x0r + x2r, t0i = x0i + x2i, t1r = x0r - x2r, t1i = x0i - x2i;
            Vector<float> x1r = Load(ref sRe, a1 + i), x1i = Load(ref sIm, a1 + i), x3r = Load(ref sRe, a3 + i), x3i = Load(ref sIm, a3 + i);
            Vector<float> t2r = x1r + x3r, t2i = x1i + x3i;
            // t3 = ∓i·(a1 − a3): forward multiplies by −i, inverse by +i.
            Vector<float> t3r = (x1i - x3i) * sign, t3i = (x3r - x1r) * sign;
            Store(t0r + t2r, ref dRe, y0 + i);
            Store(t0i + t2i, ref dIm, y0 + i);
            Vector<float> ur = t1r + t3r, ui = t1i + t3i;
            Store(ur * w1r - ui * w1i, ref dRe, y1 + i);
            Store(ur * w1i + ui * w1r, ref dIm, y1 + i);
            ur = t0r - t2r;
            ui = t0i - t2i;
            Store(ur * w2r - ui * w2i, ref dRe, y2 + i);
            Store(ur * w2i + ui * w2r, ref dIm, y2 + i);
            ur = t1r - t3r;
            ui = t1i - t3i;
            Store(ur * w3r - ui * w3i, ref dRe, y3 + i);
            Store(ur * w3i + ui * w3r, ref dIm, y3 + i);
        }
        for (; i < block; i++)
        {
            float x0r = At(ref sRe, a0 + i), x0i = At(ref sIm, a0 + i), x2r = At(ref sRe, a2 + i), x2i = At(ref sIm, a2 + i);
            float t0r = x0r + x2r, t0i = x0i + x2i, t1r = x0r - x2r, t1i = x0i - x2i;
            float x1r = At(ref sRe, a1 + i), x1i = At(ref sIm, a1 + i), x3r = At(ref sRe, a3 + i), x3i = At(ref sIm, a3 + i);
            float t2r = x1r + x3r, t2i = x1i + x3i, t3r = (x1i - x3i) * sign, t3i = (x3r - x1r) * sign;
            At(ref dRe, y0 + i) = t0r + t2r;
            At(ref dIm, y0 + i) = t0i + t2i;
            float ur = t1r + t3r, ui = t1i + t3i;
            At(ref dRe, y1 + i) = ur * w1r - ui * w1i;
            At(ref dIm, y1 + i) = ur * w1i + ui * w1r;
            ur = t0r - t2r;
            ui = t0i - t2i;
            At(ref dRe, y2 + i) = ur * w2r - ui * w2i;
            At(ref dIm, y2 + i) = ur * w2i + ui * w2r;
            ur = t1r - t3r;
            ui = t1i - t3i;
            At(ref dRe, y3 + i) = ur * w3r - ui * w3i;
            At(ref dIm, y3 + i) = ur * w3i + ui * w3r;
        }
    }

    private static void Radix3(ref float sRe, ref float sIm, ref float dRe, ref float dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        int step = m * block, a0 = q * block, a1 = a0 + step, a2 = a1 + step;
        int y0 = 3 * q * block, y1 = y0 + block, y2 = y1 + block, i = 0;
        float w1r = twRe[q], w1i = sign * twIm[q], w2r = twRe[m + q], w2i = sign * twIm[m + q];
        // ω = e^{∓2πi/3} = −1/2 ∓ i·√3/2: y1 = a0 − s/2 + i·sn·d, y2 = a0 − s/2 − i·sn·d (s = a1 + a2, d = a1 − a2).
        var sn = -sign * Sin60;
        for (; i <= block - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> x0r = Load(ref sRe, a0 + i), x0i = Load(ref sIm, a0 + i);
            Vector<float> x1r = Load(ref sRe, a1 + i), x1i = Load(ref sIm, a1 + i), x2r = Load(ref sRe, a2 + i), x2i = Load(ref sIm, a2 + i);
            Vector<float> sr = x1r + x2r, si = x1i + x2i, dr = (x1r - x2r) * sn, di = (x1i - x2i) * sn;
            Vector<float> cr = x0r - 0.5f * sr, ci = x0i - 0.5f * si;
            Store(x0r + sr, ref dRe, y0 + i);
            Store(x0i + si, ref dIm, y0 + i);
            Vector<float> ur = cr - di, ui = ci + dr;
            Store(ur * w1r - ui * w1i, ref dRe, y1 + i);
            Store(ur * w1i + ui * w1r, ref dIm, y1 + i);
            ur = cr + di;
            ui = ci - dr;
            Store(ur * w2r - ui * w2i, ref dRe, y2 + i);
            Store(ur * w2i + ui * w2r, ref dIm, y2 + i);
        }
        for (; i < block; i++)
        {
            float x0r = At(ref sRe, a0 + i), x0i = At(ref sIm, a0 + i);
            float x1r = At(ref sRe, a1 + i), x1i = At(ref sIm, a1 + i), x2r = At(ref sRe, a2 + i), x2i = At(ref sIm, a2 + i);
            float sr = x1r + x2r, si = x1i + x2i, dr = (x1r - x2r) * sn, di = (x1i - x2i) * sn;
            float cr = x0r - 0.5f * sr, ci = x0i - 0.5f * si;
            At(ref dRe, y0 + i) = x0r + sr;
            At(ref dIm, y0 + i) = x0i + si;
            float ur = cr - di, ui = ci + dr;
            At(ref dRe, y1 + i) = ur * w1r - ui * w1i;
            At(ref dIm, y1 + i) = ur * w1i + ui * w1r;
            ur = cr + di;
            ui = ci - dr;
            At(ref dRe, y2 + i) = ur * w2r - ui * w2i;
            At(ref dIm, y2 + i) = ur * w2i + ui * w2r;
        }
    }
    private static void Radix5(ref float sRe, ref float sIm, ref float dRe, ref float dIm, int q, int m, int block,
        float[] twRe, float[] twIm, float sign)
    {
        // With s14 = a1 + a4, d14 = a1 − a4, s23 = a2 + a3, d23 = a2 − a3 and ω = c1 + i·s1:
        // y1,4 = a0 + c1·s14 + c2·s23 ± i(s1·d14 + s2·d23); y2,3 = a0 + c2·s14 + c1·s23 ± i(s2·d14 − s1·d23).
        float s1 = -sign * Sin72, s2 = -sign * Sin144, c1 = Cos72, c2 = Cos144;
        int step = m * block, a0 = q * block, a1 = a0 + step, a2 = a1 + step, a3 = a2 + step, a4 = a3 + step;
        int y0 = 5 * q * block, y1 = y0 + block, y2 = y1 + block, y3 = y2 + block, y4 = y3 + block, i = 0;
        float w1r = twRe[q], w1i = sign * twIm[q], w2r = twRe[m + q], w2i = sign * twIm[m + q];
        float w3r = twRe[2 * m + q], w3i = sign * twIm[2 * m + q], w4r = twRe[3 * m + q], w4i = sign * twIm[3 * m + q];
        for (; i <= block - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> x1r = Load(ref sRe, a1 + i), x1i = Load(ref sIm, a1 + i), x4r = Load(ref sRe, a4 + i), x4i = Load(ref sIm, a4 + i);
            Vector<float> s14r = x1r + x4r, s14i = x1i + x4i, d14r = x1r - x4r, d14i = x1i - x4i;
            Vector<float> x2r = Load(ref sRe, a2 + i), x2i = Load(ref sIm, a2 + i), x3r = Load(ref sRe, a3 + i), x3i = Load(ref sIm, a3 + i);
            Vector<float> s23r = x2r + x3r, s23i = x2i + x3i, d23r = x2r - x3r, d23i = x2i - x3i;
            Vector<float> x0r = Load(ref sRe, a0 + i), x0i = Load(ref sIm, a0 + i);
            Store(x0r + s14r + s23r, ref dRe, y0 + i);
            Store(x0i + s14i + s23i, ref dIm, y0 + i);
            Vector<float> pr = x0r + c1 * s14r + c2 * s23r, pi = x0i + c1 * s14i + c2 * s23i;
            Vector<float> er = s1 * d14r + s2 * d23r, ei = s1 * d14i + s2 * d23i; // y1 = p + i·e, y4 = p − i·e
            Vector<float> ur = pr - ei, ui = pi + er;
            Store(ur * w1r - ui * w1i, ref dRe, y1 + i);
            Store(ur * w1i + ui * w1r, ref dIm, y1 + i);
            ur = pr + ei;
            ui = pi - er;
            Store(ur * w4r - ui * w4i, ref dRe, y4 + i);
            Store(ur * w4i + ui * w4r, ref dIm, y4 + i);
            pr = x0r + c2 * s14r + c1 * s23r;
            pi = x0i + c2 * s14i + c1 * s23i;
            er = s2 * d14r - s1 * d23r;
            ei = s2 * d14i - s1 * d23i;
            ur = pr - ei;
            ui = pi + er;
            Store(ur * w2r - ui * w2i, ref dRe, y2 + i);
            Store(ur * w2i + ui * w2r, ref dIm, y2 + i);
            ur = pr + ei;
            ui = pi - er;
            Store(ur * w3r - ui * w3i, ref dRe, y3 + i);
            Store(ur * w3i + ui * w3r, ref dIm, y3 + i);
        }
        for (; i < block; i++)
        {
            float x1r = At(ref sRe, a1 + i), x1i = At(ref sIm, a1 + i), x4r = At(ref sRe, a4 + i), x4i = At(ref sIm, a4 + i);
            float s14r = x1r + x4r, s14i = x1i + x4i, d14r = x1r - x4r, d14i = x1i - x4i;
            float x2r = At(ref sRe, a2 + i), x2i = At(ref sIm, a2 + i), x3r = At(ref sRe, a3 + i), x3i = At(ref sIm, a3 + i);
            float s23r = x2r + x3r, s23i = x2i + x3i, d23r = x2r - x3r, d23i = x2i - x3i;
            float x0r = At(ref sRe, a0 + i), x0i = At(ref sIm, a0 + i);
            At(ref dRe, y0 + i) = x0r + s14r + s23r;
            At(ref dIm, y0 + i) = x0i + s14i + s23i;
            float pr = x0r + c1 * s14r + c2 * s23r, pi = x0i + c1 * s14i + c2 * s23i;
            float er = s1 * d14r + s2 * d23r, ei = s1 * d14i + s2 * d23i;
            Put(ref dRe, ref dIm, y1 + i, pr - ei, pi + er, w1r, w1i);
            Put(ref dRe, ref dIm, y4 + i, pr + ei, pi - er, w4r, w4i);
            pr = x0r + c2 * s14r + c1 * s23r;
            pi = x0i + c2 * s14i + c1 * s23i;
            er = s2 * d14r - s1 * d23r;
            ei = s2 * d14i - s1 * d23i;
            Put(ref dRe, ref dIm, y2 + i, pr - ei, pi + er, w2r, w2i);
            Put(ref dRe, ref dIm, y3 + i, pr + ei, pi - er, w3r, w3i);
        }
    }

    private static void Put(ref float re, ref float im, int at, float ur, float ui, float wr, float wi)
    {
        At(ref re, at) = ur * wr - ui * wi;
        At(ref im, at) = ur * wi + ui * wr;
    }

    // Any other prime p: y_r = w^{r·q} Σ_k a_k ω^{r·k}, O(p²) per element; only for unusual sizes.
    private static void RadixGeneric(int p, ReadOnlySpan<float> sRe, ReadOnlySpan<float> sIm, Span<float> dRe, Span<float> dIm, int q, int m, int block,
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
