using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Obscura.Nn.Scattering;

// The L orientations of one scale are processed together as a stack (Fft2d's [H, L, W] layout):
// every FFT pass and low-pass row operation then runs over L·W contiguous floats, a multiple of the
// vector width for L = 8 whatever the grid size.
public sealed partial class ScatterNet
{
    // plane: [H, W] → maps: [PathsPerChannel, OutputHeight, OutputWidth], Kymatio's path order.
    private void TransformChannel(ReadOnlySpan<float> plane, Span<float> maps, ScatterWorkspace ws)
    {
        int hp = PaddedHeight, wp = PaddedWidth, size = hp * wp, o = OutputHeight * OutputWidth;
        var padded = ws.Padded.AsSpan(0, size);
        for (var r = 0; r < hp; r++)
        {
            var src = plane.Slice(padRows[r] * Width, Width);
            var dst = padded.Slice(r * wp, wp);
            for (var c = 0; c < wp; c++)
            {
                dst[c] = src[padCols[c]];
            }
        }

        LowPass(padded, 0, 1, maps[..o], ws);

        padded.CopyTo(ws.ARe);
        ws.AIm.AsSpan(0, size).Clear();
        ffts[0].Forward(ws.ARe, ws.AIm, ws.SpectrumRe, ws.SpectrumIm, ws.WorkRe, ws.WorkIm);

        var next = 1 + J * L;
        for (var j1 = 0; j1 < J; j1++)
        {
            var stackSize = L * ffts[j1].Size;
            var u1 = ws.Modulus1.AsSpan(0, stackSize);
            FilteredModuli(ws.SpectrumRe, ws.SpectrumIm, 1, 0, j1, 0, j1, u1, ws);
            LowPass(u1, j1, L, maps.Slice((1 + j1 * L) * o, L * o), ws);
            if (j1 >= J - 1)
            {
                continue; // no j2 > j1 left
            }
            u1.CopyTo(ws.ARe);
            ws.AIm.AsSpan(0, stackSize).Clear();
            ffts[j1].Forward(ws.ARe, ws.AIm, ws.ModulusSpectrumRe, ws.ModulusSpectrumIm, ws.WorkRe, ws.WorkIm, L);
            for (var t1 = 0; t1 < L; t1++)
            {
                for (var j2 = j1 + 1; j2 < J; j2++)
                {
                    var u2 = ws.Modulus2.AsSpan(0, L * ffts[j2].Size);
                    FilteredModuli(ws.ModulusSpectrumRe, ws.ModulusSpectrumIm, L, t1, j2, j1, j2, u2, ws);
                    LowPass(u2, j2, L, maps.Slice(next * o, L * o), ws);
                    next += L;
                }
            }
        }
    }

    // For the L wavelets of scale `scale`: |u ⋆ ψ_{scale,t}| subsampled from resolution `res` to
    // `target`. u's spectrum is grid `index` of a stack of `stack` ([W_r, stack, H_r]); each product
    // with a filter is folded onto the target grid (subsampling in space = summing aliases in Fourier)
    // into the output stack [W_t, L, H_t], inverse FFT there, modulus. destination: [H_t, L, W_t].
    private void FilteredModuli(float[] spectrumRe, float[] spectrumIm, int stack, int index, int scale, int res, int target,
        Span<float> destination, ScatterWorkspace ws)
    {
        int h = PaddedHeight >> res, w = PaddedWidth >> res, hs = PaddedHeight >> target, wsz = PaddedWidth >> target;
        var fold = h / hs;
        if (spectrumRe.Length < stack * h * w || spectrumIm.Length < stack * h * w || ws.ARe.Length < L * hs * wsz || ws.AIm.Length < L * hs * wsz)
        {
            throw new InvalidOperationException($"ScatterNet: scratch too small for a stack of {L} grids {hs}×{wsz}."); // cannot happen: sized in the constructor
        }
        ref var xRe = ref MemoryMarshal.GetArrayDataReference(spectrumRe);
        ref var xIm = ref MemoryMarshal.GetArrayDataReference(spectrumIm);
        ref var yRe = ref MemoryMarshal.GetArrayDataReference(ws.ARe);
        ref var yIm = ref MemoryMarshal.GetArrayDataReference(ws.AIm);
        for (var t = 0; t < L; t++)
        {
            ref var f = ref MemoryMarshal.GetArrayDataReference(wavelets[scale * L + t][res]);
            for (var k2 = 0; k2 < w; k2++)
            {
                var source = (k2 * stack + index) * h;
                var row = (k2 % wsz * L + t) * hs;
                MultiplyFolded(ref Unsafe.Add(ref xRe, source), ref Unsafe.Add(ref xIm, source), ref Unsafe.Add(ref f, k2 * h),
                    ref Unsafe.Add(ref yRe, row), ref Unsafe.Add(ref yIm, row), hs, fold, accumulate: k2 >= wsz);
            }
        }
        ffts[target].Inverse(ws.ARe, ws.AIm, ws.BRe, ws.BIm, ws.WorkRe, ws.WorkIm, L);
        Modulus(ws.BRe.AsSpan(0, destination.Length), ws.BIm.AsSpan(0, destination.Length), destination);
    }

    // y[i] (+)= Σ_{b < fold} x[b·n + i]·f[b·n + i] for i < n, both planes: one spectrum row times its
    // filter row, folded by `fold` along k1 (rows of k2 ≥ W_t land on earlier rows: accumulate).
    // Hand-written rather than 2·fold TensorPrimitives calls: rows are only 9..40 floats long and
    // there are ~10⁴ of them per image, so call overhead would dominate.
    private static void MultiplyFolded(ref float xRe, ref float xIm, ref float f, ref float yRe, ref float yIm, int n, int fold, bool accumulate)
    {
        var i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var re = accumulate ? Vector.LoadUnsafe(ref yRe, (nuint)i) : Vector<float>.Zero;
            var im = accumulate ? Vector.LoadUnsafe(ref yIm, (nuint)i) : Vector<float>.Zero;
            for (var b = 0; b < fold; b++)
            {
                var at = (nuint)(b * n + i);
                var g = Vector.LoadUnsafe(ref f, at);
                re += Vector.LoadUnsafe(ref xRe, at) * g;
                im += Vector.LoadUnsafe(ref xIm, at) * g;
            }
            re.StoreUnsafe(ref yRe, (nuint)i);
            im.StoreUnsafe(ref yIm, (nuint)i);
        }
        for (; i < n; i++)
        {
            var re = accumulate ? Unsafe.Add(ref yRe, i) : 0f;
            var im = accumulate ? Unsafe.Add(ref yIm, i) : 0f;
            for (var b = 0; b < fold; b++)
            {
                var g = Unsafe.Add(ref f, b * n + i);
                re += Unsafe.Add(ref xRe, b * n + i) * g;
                im += Unsafe.Add(ref xIm, b * n + i) * g;
            }
            Unsafe.Add(ref yRe, i) = re;
            Unsafe.Add(ref yIm, i) = im;
        }
    }

    // source: a stack [H_r, stack, W_r] → destination: [stack, OutputHeight, OutputWidth], each grid
    // mapped by Rows_r · grid · Cols_rᵀ. Row u first contracts the H_r rows of the whole stack into
    // one line of stack·W_r floats (long vectors), then each grid's W_r values are contracted against
    // Cols_rᵀ [W_r, OutputWidth padded to the vector width], so outputs come a vector at a time.
    // Hand-written: the ~5·10³ short dot products per image cost more as library calls than as math.
    private void LowPass(ReadOnlySpan<float> source, int r, int stack, Span<float> destination, ScatterWorkspace ws)
    {
        int h = PaddedHeight >> r, w = PaddedWidth >> r, line = stack * w, o = OutputHeight * OutputWidth, vw = Vector<float>.Count;
        var rowsArray = lowPassRows[r];
        var colsArray = lowPassColsT[r];
        var padded = colsArray.Length / w;
        if (source.Length < h * line || destination.Length < stack * o || ws.LowPassRows.Length < line || rowsArray.Length < OutputHeight * h)
        {
            throw new ArgumentException($"ScatterNet.LowPass: stack of {stack} grids {h}×{w} does not fit its buffers.");
        }
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var acc = ref MemoryMarshal.GetArrayDataReference(ws.LowPassRows);
        ref var rows = ref MemoryMarshal.GetArrayDataReference(rowsArray);
        ref var cols = ref MemoryMarshal.GetArrayDataReference(colsArray);
        Span<float> lane = stackalloc float[vw];
        for (var u = 0; u < OutputHeight; u++)
        {
            ref var rowU = ref Unsafe.Add(ref rows, u * h);
            var i = 0;
            for (; i <= line - vw; i += vw)
            {
                var sum = Vector<float>.Zero;
                for (var t = 0; t < h; t++)
                {
                    sum += Unsafe.Add(ref rowU, t) * Vector.LoadUnsafe(ref src, (nuint)(t * line + i));
                }
                sum.StoreUnsafe(ref acc, (nuint)i);
            }
            for (; i < line; i++)
            {
                var sum = 0f;
                for (var t = 0; t < h; t++)
                {
                    sum += Unsafe.Add(ref rowU, t) * Unsafe.Add(ref src, t * line + i);
                }
                Unsafe.Add(ref acc, i) = sum;
            }
            for (var g = 0; g < stack; g++)
            {
                ref var grid = ref Unsafe.Add(ref acc, g * w);
                for (var v0 = 0; v0 < OutputWidth; v0 += vw)
                {
                    var sum = Vector<float>.Zero;
                    for (var t = 0; t < w; t++)
                    {
                        sum += Unsafe.Add(ref grid, t) * Vector.LoadUnsafe(ref cols, (nuint)(t * padded + v0));
                    }
                    sum.CopyTo(lane);
                    lane[..Math.Min(vw, OutputWidth - v0)].CopyTo(destination.Slice(g * o + u * OutputWidth + v0));
                }
            }
        }
    }

    private static void Modulus(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> destination)
    {
        var vRe = MemoryMarshal.Cast<float, Vector<float>>(re);
        var vIm = MemoryMarshal.Cast<float, Vector<float>>(im);
        var vDst = MemoryMarshal.Cast<float, Vector<float>>(destination);
        for (var i = 0; i < vDst.Length; i++)
        {
            vDst[i] = Vector.SquareRoot(vRe[i] * vRe[i] + vIm[i] * vIm[i]);
        }
        for (var i = vDst.Length * Vector<float>.Count; i < destination.Length; i++)
        {
            destination[i] = MathF.Sqrt(re[i] * re[i] + im[i] * im[i]);
        }
    }
}
