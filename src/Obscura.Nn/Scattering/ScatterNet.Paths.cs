using System.Numerics;
using System.Numerics.Tensors;
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
        var folded = h != hs || w != wsz;
        var aRe = ws.ARe.AsSpan(0, L * hs * wsz);
        var aIm = ws.AIm.AsSpan(0, L * hs * wsz);
        if (folded)
        {
            aRe.Clear();
            aIm.Clear();
        }
        for (var t = 0; t < L; t++)
        {
            var filter = wavelets[scale * L + t][res];
            for (var k2 = 0; k2 < w; k2++)
            {
                var source = (k2 * stack + index) * h;
                var row = (k2 % wsz * L + t) * hs;
                for (var b = 0; b < h; b += hs)
                {
                    var f = filter.AsSpan(k2 * h + b, hs);
                    var xr = spectrumRe.AsSpan(source + b, hs);
                    var xi = spectrumIm.AsSpan(source + b, hs);
                    var yr = aRe.Slice(row, hs);
                    var yi = aIm.Slice(row, hs);
                    if (folded)
                    {
                        TensorPrimitives.MultiplyAdd(xr, f, yr, yr);
                        TensorPrimitives.MultiplyAdd(xi, f, yi, yi);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(xr, f, yr);
                        TensorPrimitives.Multiply(xi, f, yi);
                    }
                }
            }
        }
        ffts[target].Inverse(ws.ARe, ws.AIm, ws.BRe, ws.BIm, ws.WorkRe, ws.WorkIm, L);
        Modulus(ws.BRe.AsSpan(0, destination.Length), ws.BIm.AsSpan(0, destination.Length), destination);
    }

    // source: a stack [H_r, stack, W_r] → destination: [stack, OutputHeight, OutputWidth], each grid
    // mapped by Rows_r · grid · Cols_rᵀ.
    private void LowPass(ReadOnlySpan<float> source, int r, int stack, Span<float> destination, ScatterWorkspace ws)
    {
        int h = PaddedHeight >> r, w = PaddedWidth >> r, line = stack * w, o = OutputHeight * OutputWidth;
        var rows = lowPassRows[r];
        var cols = lowPassCols[r];
        for (var u = 0; u < OutputHeight; u++)
        {
            var acc = ws.LowPassRows.AsSpan(u * line, line);
            acc.Clear();
            for (var t = 0; t < h; t++)
            {
                TensorPrimitives.MultiplyAdd(source.Slice(t * line, line), rows[u * h + t], acc, acc);
            }
            for (var s = 0; s < stack; s++)
            {
                var grid = acc.Slice(s * w, w);
                for (var v = 0; v < OutputWidth; v++)
                {
                    destination[s * o + u * OutputWidth + v] = TensorPrimitives.Dot(grid, cols.AsSpan(v * w, w));
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
