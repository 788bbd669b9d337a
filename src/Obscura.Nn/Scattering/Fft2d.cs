namespace Obscura.Nn.Scattering;

/// <summary>
/// 2-D complex DFT of an H×W grid in split format. The spectrum is kept transposed,
/// [W, H] with the column frequency k2 outermost (spectrum[k2·H + k1] = X[k1, k2]), which saves
/// one transpose per transform; filters that multiply the spectrum are stored in the same layout.
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
    /// Spatial x: [H, W] in (<paramref name="re"/>, <paramref name="im"/>, both overwritten) to the
    /// transposed spectrum [W, H] in (<paramref name="outRe"/>, <paramref name="outIm"/>). Work
    /// planes: H·W floats each.
    /// </summary>
    public void Forward(Span<float> re, Span<float> im, Span<float> outRe, Span<float> outIm, Span<float> workRe, Span<float> workIm)
    {
        int h = Height, w = Width;
        alongHeight.Transform(re, im, workRe, workIm, w, inverse: false);
        Transpose(re, outRe, h, w);
        Transpose(im, outIm, h, w);
        alongWidth.Transform(outRe, outIm, workRe, workIm, h, inverse: false);
    }

    /// <summary>
    /// Transposed spectrum [W, H] in (<paramref name="re"/>, <paramref name="im"/>, both overwritten)
    /// to the unnormalised inverse [H, W] in (<paramref name="outRe"/>, <paramref name="outIm"/>).
    /// </summary>
    public void Inverse(Span<float> re, Span<float> im, Span<float> outRe, Span<float> outIm, Span<float> workRe, Span<float> workIm)
    {
        int h = Height, w = Width;
        alongWidth.Transform(re, im, workRe, workIm, h, inverse: true);
        Transpose(re, outRe, w, h);
        Transpose(im, outIm, w, h);
        alongHeight.Transform(outRe, outIm, workRe, workIm, w, inverse: true);
    }

    // src: [rows, cols] → dst: [cols, rows].
    private static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = src.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++)
            {
                dst[c * rows + r] = row[c];
            }
        }
    }
}
