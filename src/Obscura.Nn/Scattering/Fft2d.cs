using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Obscura.Nn.Scattering;

/// <summary>
/// 2-D complex DFT of an H×W grid in split format, for a stack of S grids at once. Grids are
/// interleaved by rows: space is [H, S, W] (grid s's row n1 at (n1·S + s)·W), which makes every
/// 1-D pass one long vectorisable batch of S·W or S·H columns. The spectrum is kept transposed,
/// [W, S, H] with the column frequency k2 outermost (spectrum[(k2·S + s)·H + k1] = X_s[k1, k2]),
/// which saves one transpose per transform; filters that multiply the spectrum use that layout.
/// Forward: X[k1, k2] = Σ x[n1, n2]·e^{−2πi(k1·n1/H + k2·n2/W)}; Inverse is unnormalised
/// (Inverse(Forward(x)) = H·W·x). Immutable and thread-safe; callers own the buffers.
/// </summary>
public sealed class Fft2d
{
    private readonly FftPlan alongHeight;
    private readonly FftPlan alongWidth;

    public Fft2d(int height, int width)
    {
        alongHeight = new FftPlan(height);
        alongWidth = height == width ? alongHeight : new FftPlan(width);
    }

    public int Height => alongHeight.Length;

    public int Width => alongWidth.Length;

    /// <summary>Number of grid points H·W.</summary>
    public int Size => Height * Width;

    /// <summary>
    /// Spatial x: [H, S, W] in (<paramref name="re"/>, <paramref name="im"/>, both overwritten) to
    /// the transposed spectrum [W, S, H] in (<paramref name="outRe"/>, <paramref name="outIm"/>).
    /// Every plane, work planes included, needs S·H·W floats.
    /// </summary>
    public void Forward(Span<float> re, Span<float> im, Span<float> outRe, Span<float> outIm, Span<float> workRe, Span<float> workIm, int stack = 1)
    {
        int h = Height, w = Width;
        // Out-of-place passes (no end-of-pass copy): x → out, transposed back into x, x → out.
        alongHeight.Transform(re, im, outRe, outIm, workRe, workIm, stack * w, inverse: false);
        Transpose(outRe, re, h, stack, w);
        Transpose(outIm, im, h, stack, w);
        alongWidth.Transform(re, im, outRe, outIm, workRe, workIm, stack * h, inverse: false);
    }

    /// <summary>
    /// Transposed spectrum [W, S, H] in (<paramref name="re"/>, <paramref name="im"/>, both
    /// overwritten) to the unnormalised inverse [H, S, W] in (<paramref name="outRe"/>, <paramref name="outIm"/>).
    /// </summary>
    public void Inverse(Span<float> re, Span<float> im, Span<float> outRe, Span<float> outIm, Span<float> workRe, Span<float> workIm, int stack = 1)
    {
        int h = Height, w = Width;
        alongWidth.Transform(re, im, outRe, outIm, workRe, workIm, stack * h, inverse: true);
        Transpose(outRe, re, w, stack, h);
        Transpose(outIm, im, w, stack, h);
        alongHeight.Transform(re, im, outRe, outIm, workRe, workIm, stack * w, inverse: true);
    }

    // src: [a, s, b] → dst: [b, s, a]. Refs instead of indexed spans: this runs once per pass over
    // every element and bounds checks on the strided writes cost as much as the copy.
    private static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int a, int s, int b)
    {
        var total = a * s * b;
        if (src.Length < total || dst.Length < total)
        {
            throw new ArgumentException($"Fft2d: transpose of [{a}, {s}, {b}] needs {total} floats per plane.");
        }
        ref var from = ref MemoryMarshal.GetReference(src);
        ref var to = ref MemoryMarshal.GetReference(dst);
        var stride = s * a;
        for (var i = 0; i < a; i++)
        {
            for (var k = 0; k < s; k++)
            {
                ref var row = ref Unsafe.Add(ref from, (i * s + k) * b);
                ref var column = ref Unsafe.Add(ref to, k * a + i);
                for (var j = 0; j < b; j++)
                {
                    Unsafe.Add(ref column, j * stride) = Unsafe.Add(ref row, j);
                }
            }
        }
    }
}
