using System.Numerics;
using Obscura.Tensors;

namespace Obscura.Nn.Scattering;

/// <summary>
/// Fixed 2-D wavelet scattering front end (Tramèr &amp; Boneh 2021), the same transform as Kymatio's
/// Scattering2D(J, L, max_order = 2): per input channel, with x the reflect-padded image,
/// <list type="bullet">
/// <item>order 0: x ⋆ φ (1 map),</item>
/// <item>order 1: |x ⋆ ψ_{j,θ}| ⋆ φ for j &lt; J, θ &lt; L (J·L maps, ordered by j then θ),</item>
/// <item>order 2: ||x ⋆ ψ_{j1,θ1}| ⋆ ψ_{j2,θ2}| ⋆ φ for j1 &lt; j2 (L²·J(J−1)/2 maps, ordered j1, θ1, j2, θ2),</item>
/// </list>
/// each subsampled by 2^J and cropped back to ⌊H/2^J⌋×⌊W/2^J⌋. For J = 2, L = 8 that is 81 maps per
/// channel: [1, 28, 28] → [81, 7, 7]; [3, 32, 32] → [243, 8, 8] with channel c's maps at
/// c·81 .. c·81 + 80 (Kymatio's [C, 81, h, w] flattened). Filters: <see cref="ScatterFilterBank"/>.
/// Convolutions are circular on the padded grid and done as products in Fourier, intermediate
/// moduli are subsampled like Kymatio's (|x ⋆ ψ_j| at 2^−j resolution); the final low-pass, which is
/// separable, is applied in space as two small dense matrices (the same linear map as Kymatio's
/// Fourier low-pass, subsampling and crop).
/// </summary>
/// <remarks>
/// <see cref="Transform(Tensor, Tensor)"/> splits the images over up to
/// <see cref="MaxDegreeOfParallelism"/> workers, each with its own preallocated scratch; nothing is
/// allocated per image. Calls on one instance are serialised (a lock), so one instance may be shared.
/// </remarks>
public sealed partial class ScatterNet
{
    private readonly Fft2d[] ffts;            // grid at resolution r: (H_p/2^r)×(W_p/2^r), r < J
    private readonly float[][][] wavelets;    // [n][res]: transposed spectrum [W_r, H_r] / (H_r·W_r)
    private readonly float[][] lowPassRows;   // [r]: [OutputHeight, H_r]
    private readonly float[][] lowPassColsT;  // [r]: [W_r, OutputWidth rounded up to the vector width], transposed
    private readonly int[] padRows;           // padded row → source row (reflection)
    private readonly int[] padCols;
    private readonly object gate = new();
    private ScatterWorkspace?[] workspaces = [];
    private int maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Builds the filters for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.
    /// Throws when a side is smaller than 2^J or J, L &lt; 1.
    /// </summary>
    public ScatterNet(int channels, int height, int width, int j = 2, int l = 8)
    {
        if (channels < 1 || j < 1 || l < 1 || height < (1 << j) || width < (1 << j))
        {
            throw new ArgumentException($"ScatterNet: need channels ≥ 1, J ≥ 1, L ≥ 1 and sides ≥ 2^J; got C={channels}, H={height}, W={width}, J={j}, L={l}.");
        }
        (Channels, Height, Width, J, L) = (channels, height, width, j, l);
        (PaddedHeight, PaddedWidth) = PaddedSize(height, width, j);
        OutputHeight = PaddedHeight / (1 << j) - 2;
        OutputWidth = PaddedWidth / (1 << j) - 2;
        Filters = new ScatterFilterBank(PaddedHeight, PaddedWidth, j, l);
        padRows = ReflectIndices(height, PaddedHeight);
        padCols = ReflectIndices(width, PaddedWidth);

        ffts = new Fft2d[j];
        lowPassRows = new float[j][];
        lowPassColsT = new float[j][];
        for (var r = 0; r < j; r++)
        {
            ffts[r] = new Fft2d(PaddedHeight >> r, PaddedWidth >> r);
            lowPassRows[r] = LowPassMatrix(Filters.LowPassFourier1d(0, r), OutputHeight, 1 << (j - r), Filters.LowPassNormalisation);
            lowPassColsT[r] = TransposePadded(LowPassMatrix(Filters.LowPassFourier1d(1, r), OutputWidth, 1 << (j - r), 1), OutputWidth, PaddedWidth >> r);
        }
        wavelets = new float[j * l][][];
        for (var n = 0; n < j * l; n++)
        {
            var scale = n / l;
            wavelets[n] = new float[Math.Max(1, scale)][];
            for (var res = 0; res < wavelets[n].Length; res++)
            {
                wavelets[n][res] = TransposedScaled(Filters.WaveletFourier(n, res), PaddedHeight >> res, PaddedWidth >> res);
            }
        }
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int J { get; }
    public int L { get; }

    /// <summary>Size of the reflect-padded grid (Kymatio's compute_padding).</summary>
    public int PaddedHeight { get; }
    public int PaddedWidth { get; }

    /// <summary>⌊H/2^J⌋.</summary>
    public int OutputHeight { get; }

    /// <summary>⌊W/2^J⌋.</summary>
    public int OutputWidth { get; }

    /// <summary>1 + J·L + L²·J(J−1)/2 (81 for J = 2, L = 8).</summary>
    public int PathsPerChannel => PathCount(J, L);

    /// <summary>Maps per input channel for J scales and L angles: 1 + J·L + L²·J(J−1)/2.</summary>
    public static int PathCount(int j, int l) => 1 + j * l + l * l * j * (j - 1) / 2;

    /// <summary>Per-image output shape [PathsPerChannel·C, H/2^J, W/2^J].</summary>
    public int[] OutputShape => [PathsPerChannel * Channels, OutputHeight, OutputWidth];

    /// <summary>Floats per image in the output.</summary>
    public int FeatureLength => PathsPerChannel * Channels * OutputHeight * OutputWidth;

    /// <summary>Floats per image in the input.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>Upper bound on worker threads (default: all cores); at least 1.</summary>
    public int MaxDegreeOfParallelism
    {
        get => maxDegreeOfParallelism;
        set => maxDegreeOfParallelism = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), $"ScatterNet.MaxDegreeOfParallelism must be ≥ 1, got {value}.");
    }

    /// <summary>The filters in double precision.</summary>
    public ScatterFilterBank Filters { get; }

    /// <summary>
    /// Kymatio's padded size: each side becomes (⌊(n + 2^J)/2^J⌋ + 1)·2^J (28 → 36, 32 → 40), so
    /// that after subsampling by 2^J one sample can be cropped from each border.
    /// </summary>
    public static (int Height, int Width) PaddedSize(int height, int width, int j)
    {
        var step = 1 << j;
        return (((height + step) / step + 1) * step, ((width + step) / step + 1) * step);
    }

    /// <summary>
    /// images: [N, C, H, W] → features: [N, PathsPerChannel·C, H/2^J, W/2^J] (resized, grow-only).
    /// Throws when the image shape does not match the one this instance was built for.
    /// </summary>
    public void Transform(Tensor images, Tensor features)
    {
        if (images.Rank != 4 || images.Dim(1) != Channels || images.Dim(2) != Height || images.Dim(3) != Width)
        {
            throw new ArgumentException($"ScatterNet: images must be [N, {Channels}, {Height}, {Width}], got {images.ShapeText}.");
        }
        var count = images.Dim(0);
        features.Resize(count, PathsPerChannel * Channels, OutputHeight, OutputWidth);
        Transform(images.Data.AsMemory(0, images.Length), count, features.Data.AsMemory(0, features.Length));
    }

    /// <summary>
    /// Flat form: <paramref name="images"/> holds <paramref name="count"/> images of
    /// <see cref="ImageLength"/> floats (C, H, W), <paramref name="features"/> receives
    /// <see cref="FeatureLength"/> floats per image.
    /// </summary>
    public void Transform(ReadOnlyMemory<float> images, int count, Memory<float> features)
    {
        if (count < 0 || images.Length < (long)count * ImageLength || features.Length < (long)count * FeatureLength)
        {
            throw new ArgumentException($"ScatterNet: {count} images need {(long)count * ImageLength} input and {(long)count * FeatureLength} output floats; got {images.Length} and {features.Length}.");
        }
        lock (gate)
        {
            var workers = Math.Max(1, Math.Min(MaxDegreeOfParallelism, count));
            if (workspaces.Length < workers)
            {
                Array.Resize(ref workspaces, workers);
            }
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var ws = workspaces[w] ??= new ScatterWorkspace(PaddedHeight, PaddedWidth, L);
                var first = (int)((long)count * w / workers);
                var end = (int)((long)count * (w + 1) / workers);
                for (var i = first; i < end; i++)
                {
                    TransformImage(images.Span.Slice(i * ImageLength, ImageLength), features.Span.Slice(i * FeatureLength, FeatureLength), ws);
                }
            });
        }
    }

    private void TransformImage(ReadOnlySpan<float> image, Span<float> features, ScatterWorkspace ws)
    {
        var plane = Height * Width;
        var maps = PathsPerChannel * OutputHeight * OutputWidth;
        for (var c = 0; c < Channels; c++)
        {
            TransformChannel(image.Slice(c * plane, plane), features.Slice(c * maps, maps), ws);
        }
    }

    // Kymatio pads (P − n)/2 before and (P − n + 1)/2 after with numpy's 'reflect' (edge not repeated).
    private static int[] ReflectIndices(int n, int padded)
    {
        var before = (padded - n) / 2;
        var map = new int[padded];
        var period = 2 * (n - 1);
        for (var i = 0; i < padded; i++)
        {
            if (n == 1)
            {
                continue;
            }
            var t = ((i - before) % period + period) % period;
            map[i] = t < n ? t : period - t;
        }
        return map;
    }

    // Row u of the separable low-pass, subsampling by `step` and the one-sample crop:
    // M[u, t] = c · φ_r[(step·(u + 1) − t) mod n] with φ_r the inverse DFT of the folded spectrum.
    private static float[] LowPassMatrix(double[] spectrum, int outputs, int step, double c)
    {
        var n = spectrum.Length;
        var phi = DoubleDft.InverseReal1d(spectrum);
        var m = new float[outputs * n];
        for (var u = 0; u < outputs; u++)
        {
            for (var t = 0; t < n; t++)
            {
                m[u * n + t] = (float)(c * phi[((step * (u + 1) - t) % n + n) % n]);
            }
        }
        return m;
    }

    // m: [rows, cols] → [cols, rows rounded up to a whole number of vectors], zero-filled.
    private static float[] TransposePadded(float[] m, int rows, int cols)
    {
        var padded = (rows + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        var t = new float[cols * padded];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                t[c * padded + r] = m[r * cols + c];
            }
        }
        return t;
    }

    // [h, w] natural spectrum → [w, h] transposed, times 1/(h·w) so the unnormalised inverse FFT on the
    // folded grid yields the subsampled circular convolution directly.
    private static float[] TransposedScaled(double[] spectrum, int h, int w)
    {
        var t = new float[h * w];
        for (var k1 = 0; k1 < h; k1++)
        {
            for (var k2 = 0; k2 < w; k2++)
            {
                t[k2 * h + k1] = (float)(spectrum[k1 * w + k2] / (h * w));
            }
        }
        return t;
    }
}
