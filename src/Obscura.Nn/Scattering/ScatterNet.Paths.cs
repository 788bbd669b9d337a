using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Obscura.Nn.Scattering;

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

        LowPass(padded, 0, maps[..o], ws);

        padded.CopyTo(ws.ARe);
        ws.AIm.AsSpan(0, size).Clear();
        ffts[0].Forward(ws.ARe, ws.AIm, ws.SpectrumRe, ws.SpectrumIm, ws.WorkRe, ws.WorkIm);

        var next = 1 + J * L;
        for (var n1 = 0; n1 < J * L; n1++)
        {
            var j1 = n1 / L;
            var u1 = ws.Modulus1.AsSpan(0, ffts[j1].Size);
            FilteredModulus(ws.SpectrumRe, ws.SpectrumIm, wavelets[n1][0], 0, j1, u1, ws);
            LowPass(u1, j1, maps.Slice((1 + n1) * o, o), ws);
            if (j1 >= J - 1)
            {
                continue; // no j2 > j1 left
            }
            u1.CopyTo(ws.ARe);
            ws.AIm.AsSpan(0, u1.Length).Clear();
            ffts[j1].Forward(ws.ARe, ws.AIm, ws.ModulusSpectrumRe, ws.ModulusSpectrumIm, ws.WorkRe, ws.WorkIm);
            for (var n2 = (j1 + 1) * L; n2 < J * L; n2++)
            {
                var j2 = n2 / L;
                var u2 = ws.Modulus2.AsSpan(0, ffts[j2].Size);
                FilteredModulus(ws.ModulusSpectrumRe, ws.ModulusSpectrumIm, wavelets[n2][j1], j1, j2, u2, ws);
                LowPass(u2, j2, maps.Slice(next * o, o), ws);
                next++;
            }
        }
    }

    // |u ⋆ ψ| subsampled from resolution `res` to resolution `target`: the spectrum of u (transposed,
    // at res) times the filter, folded onto the target grid (subsampling in space = summing aliases in
    // Fourier), inverse FFT there, modulus. destination: [H_target, W_target].
    private void FilteredModulus(float[] spectrumRe, float[] spectrumIm, float[] filter, int res, int target, Span<float> destination, ScatterWorkspace ws)
    {
        int h = PaddedHeight >> res, w = PaddedWidth >> res, hs = PaddedHeight >> target, wsz = PaddedWidth >> target;
        var size = h * w;
        if (res == target)
        {
            TensorPrimitives.Multiply(spectrumRe.AsSpan(0, size), filter, ws.ARe.AsSpan(0, size));
            TensorPrimitives.Multiply(spectrumIm.AsSpan(0, size), filter, ws.AIm.AsSpan(0, size));
        }
        else
        {
            var aRe = ws.ARe.AsSpan(0, hs * wsz);
            var aIm = ws.AIm.AsSpan(0, hs * wsz);
            aRe.Clear();
            aIm.Clear();
            for (var k2 = 0; k2 < w; k2++)
            {
                var row = k2 % wsz * hs;
                for (var b = 0; b < h; b += hs)
                {
                    var at = k2 * h + b;
                    var f = filter.AsSpan(at, hs);
                    TensorPrimitives.MultiplyAdd(spectrumRe.AsSpan(at, hs), f, aRe.Slice(row, hs), aRe.Slice(row, hs));
                    TensorPrimitives.MultiplyAdd(spectrumIm.AsSpan(at, hs), f, aIm.Slice(row, hs), aIm.Slice(row, hs));
                }
            }
        }
        ffts[target].Inverse(ws.ARe, ws.AIm, ws.BRe, ws.BIm, ws.WorkRe, ws.WorkIm);
        Modulus(ws.BRe.AsSpan(0, destination.Length), ws.BIm.AsSpan(0, destination.Length), destination);
    }

    // source: [H_r, W_r] → destination: [OutputHeight, OutputWidth] = Rows_r · source · Cols_rᵀ.
    private void LowPass(ReadOnlySpan<float> source, int r, Span<float> destination, ScatterWorkspace ws)
    {
        int h = PaddedHeight >> r, w = PaddedWidth >> r;
        var rows = lowPassRows[r];
        var cols = lowPassCols[r];
        for (var u = 0; u < OutputHeight; u++)
        {
            var acc = ws.LowPassRows.AsSpan(u * w, w);
            acc.Clear();
            for (var t = 0; t < h; t++)
            {
                TensorPrimitives.MultiplyAdd(source.Slice(t * w, w), rows[u * h + t], acc, acc);
            }
            for (var v = 0; v < OutputWidth; v++)
            {
                destination[u * OutputWidth + v] = TensorPrimitives.Dot(acc, cols.AsSpan(v * w, w));
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
