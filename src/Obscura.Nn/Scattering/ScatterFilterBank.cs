namespace Obscura.Nn.Scattering;

/// <summary>
/// The Morlet wavelets ψ_{j,θ} and the Gaussian low-pass φ of a 2-D scattering transform on a
/// padded H×W grid, defined as in Kymatio's Scattering2D (filter_bank, morlet_2d, gabor_2d):
/// <list type="bullet">
/// <item>Gabor g(u) = exp(−uᵀ Σ u) · e^{i ξ (u₁ cos θ + u₂ sin θ)} / (2·π_K·σ²/slant), with
/// Σ = R_θ diag(1, slant²) R_θᵀ / (2σ²): width σ along the carrier, σ/slant across it. u = (row,
/// column); the grid is periodised by summing the 5×5 nearest copies (offsets −2..2 grid sizes).
/// π_K = 3.1415 is Kymatio's literal constant, kept so the filters match it exactly.</item>
/// <item>Morlet ψ = g_ξ − K·g_0 with K = Σ g_ξ / Σ g_0 (so Σ ψ = 0, a zero DC coefficient).</item>
/// <item>Wavelet n = j·L + t has σ = 0.8·2^j, ξ = (3π/4)/2^j, slant = 4/L and angle
/// θ = (⌊L − L/2 − 1⌋ − t)·π/L (for L = 8: 3π/8, 2π/8, …, −4π/8).</item>
/// <item>Low-pass φ = Gabor with σ = 0.8·2^(J−1), ξ = 0, slant = 1 (Kymatio's choice; its spatial
/// sum is π/π_K ≈ 1.00003).</item>
/// <item>Filters are used in Fourier as the real part of their DFT on the padded grid; at
/// resolution r (grid H/2^r × W/2^r) the spectrum is first zeroed outside the central low band and
/// then folded onto the smaller grid (<see cref="Periodize"/>).</item>
/// </list>
/// Everything here is double precision and computed once; <see cref="ScatterNet"/> converts it.
/// </summary>
public sealed class ScatterFilterBank
{
    /// <summary>Kymatio's gabor_2d normalises by 2·3.1415·σ²/slant (a truncated π); kept for fidelity.</summary>
    public const double KymatioPi = 3.1415;

    private readonly double[]?[] waveletSpectrum;
    private double[]? lowPassSpectrum;

    /// <summary>Filters for a padded grid of <paramref name="paddedHeight"/>×<paramref name="paddedWidth"/>, J scales, L angles.</summary>
    public ScatterFilterBank(int paddedHeight, int paddedWidth, int j, int l)
    {
        if (j < 1 || l < 1 || paddedHeight % (1 << j) != 0 || paddedWidth % (1 << j) != 0)
        {
            throw new ArgumentException($"ScatterFilterBank: need J ≥ 1, L ≥ 1 and a padded grid divisible by 2^J; got J={j}, L={l}, grid {paddedHeight}×{paddedWidth}.");
        }
        PaddedHeight = paddedHeight;
        PaddedWidth = paddedWidth;
        J = j;
        L = l;
        waveletSpectrum = new double[]?[j * l];
    }

    public int PaddedHeight { get; }
    public int PaddedWidth { get; }
    public int J { get; }
    public int L { get; }

    /// <summary>J·L wavelets, index n = j·L + t.</summary>
    public int WaveletCount => J * L;

    public static double WaveletSigma(int scale) => 0.8 * (1 << scale);

    public static double WaveletXi(int scale) => 3.0 / 4.0 * Math.PI / (1 << scale);

    public static double Slant(int l) => 4.0 / l;

    /// <summary>θ for angle index t of L, Kymatio's convention (int(L − L/2 − 1) − t)·π/L.</summary>
    public static double Angle(int t, int l) => ((int)(l - l / 2.0 - 1) - t) * Math.PI / l;

    public static double LowPassSigma(int j) => 0.8 * (1 << (j - 1));

    /// <summary>The spatial Morlet ψ_n on the padded grid: [H, W] split complex.</summary>
    public (double[] Re, double[] Im) WaveletSpatial(int n)
    {
        var (scale, t) = (n / L, n % L);
        return Morlet(PaddedHeight, PaddedWidth, WaveletSigma(scale), Angle(t, L), WaveletXi(scale), Slant(L));
    }

    /// <summary>The spatial low-pass φ on the padded grid: [H, W] split complex (imaginary part 0).</summary>
    public (double[] Re, double[] Im) LowPassSpatial() => Gabor(PaddedHeight, PaddedWidth, LowPassSigma(J), 0, 0, 1);

    /// <summary>Re DFT(ψ_n) folded to resolution <paramref name="res"/>: [H/2^res, W/2^res], natural layout [k1, k2].</summary>
    public double[] WaveletFourier(int n, int res)
    {
        var spectrum = waveletSpectrum[n] ??= RealSpectrum(WaveletSpatial(n));
        return Periodize(spectrum, PaddedHeight, PaddedWidth, res);
    }

    /// <summary>Re DFT(φ) folded to resolution <paramref name="res"/>: [H/2^res, W/2^res].</summary>
    public double[] LowPassFourier(int res)
    {
        var spectrum = lowPassSpectrum ??= RealSpectrum(LowPassSpatial());
        return Periodize(spectrum, PaddedHeight, PaddedWidth, res);
    }

    /// <summary>
    /// One factor of the separable low-pass: φ̂_res[k1, k2] = c · f_H[k1] · f_W[k2] with
    /// c = 1/(2·π_K·σ²) and f the real DFT of the periodised 1-D Gaussian exp(−x²/(2σ²)) along the
    /// axis (0: height, 1: width), folded to resolution <paramref name="res"/>. Exact up to the
    /// e^{−(2·size/σ)²/2} tail the 2-D definition keeps and this drops.
    /// </summary>
    public double[] LowPassFourier1d(int axis, int res)
    {
        var n = axis == 0 ? PaddedHeight : PaddedWidth;
        var sigma = LowPassSigma(J);
        var g = new double[n];
        for (var x = 0; x < n; x++)
        {
            for (var e = -2; e <= 2; e++)
            {
                double u = x + e * n;
                g[x] += Math.Exp(-u * u / (2 * sigma * sigma));
            }
        }
        return Periodize1d(DoubleDft.ForwardReal1d(g), res);
    }

    /// <summary>The constant c of <see cref="LowPassFourier1d"/>.</summary>
    public double LowPassNormalisation => 1 / (2 * KymatioPi * LowPassSigma(J) * LowPassSigma(J));

    /// <summary>Periodised 2-D Gabor filter on an h×w grid (see the type remarks): [h, w] split complex.</summary>
    public static (double[] Re, double[] Im) Gabor(int h, int w, double sigma, double theta, double xi, double slant)
    {
        var (envelope, phase) = GaborParts(h, w, sigma, theta, xi, slant);
        var re = new double[h * w];
        var im = new double[h * w];
        for (var i = 0; i < h * w; i++)
        {
            for (var c = 0; c < 25; c++)
            {
                re[i] += envelope[c * h * w + i] * Math.Cos(phase[c * h * w + i]);
                im[i] += envelope[c * h * w + i] * Math.Sin(phase[c * h * w + i]);
            }
        }
        return (re, im);
    }

    /// <summary>Morlet ψ = g_ξ − K·g_0, K = Σ g_ξ / Σ g_0, on an h×w grid: [h, w] split complex.</summary>
    public static (double[] Re, double[] Im) Morlet(int h, int w, double sigma, double theta, double xi, double slant)
    {
        var (wavRe, wavIm) = Gabor(h, w, sigma, theta, xi, slant);
        var (envRe, _) = Gabor(h, w, sigma, theta, 0, slant);
        double sumRe = 0, sumIm = 0, sumEnv = 0;
        for (var i = 0; i < h * w; i++)
        {
            sumRe += wavRe[i];
            sumIm += wavIm[i];
            sumEnv += envRe[i];
        }
        var (kRe, kIm) = (sumRe / sumEnv, sumIm / sumEnv);
        for (var i = 0; i < h * w; i++)
        {
            wavRe[i] -= kRe * envRe[i];
            wavIm[i] -= kIm * envRe[i];
        }
        return (wavRe, wavIm);
    }

    /// <summary>
    /// Kymatio's periodize_filter_fft: zero the spectrum rows [⌊h/2^{res+1}⌋, + ⌊h(1 − 2^{−res})⌋)
    /// and the same band of columns, then sum the aliases onto an (h/2^res)×(w/2^res) grid.
    /// x: [h, w] → [h/2^res, w/2^res].
    /// </summary>
    public static double[] Periodize(double[] spectrum, int h, int w, int res)
    {
        int hs = h >> res, ws = w >> res;
        var keepRow = KeptBand(h, res);
        var keepCol = KeptBand(w, res);
        var result = new double[hs * ws];
        for (var i = 0; i < h; i++)
        {
            if (!keepRow[i])
            {
                continue;
            }
            for (var k = 0; k < w; k++)
            {
                if (keepCol[k])
                {
                    result[i % hs * ws + k % ws] += spectrum[i * w + k];
                }
            }
        }
        return result;
    }

    private static double[] Periodize1d(double[] spectrum, int res)
    {
        var n = spectrum.Length;
        var keep = KeptBand(n, res);
        var result = new double[n >> res];
        for (var i = 0; i < n; i++)
        {
            if (keep[i])
            {
                result[i % result.Length] += spectrum[i];
            }
        }
        return result;
    }

    private static bool[] KeptBand(int n, int res)
    {
        var keep = new bool[n];
        Array.Fill(keep, true);
        if (n == 1)
        {
            return keep;
        }
        var start = (int)(n * Math.Pow(2, -res - 1));
        var length = (int)(n * (1 - Math.Pow(2, -res)));
        for (var i = start; i < Math.Min(n, start + length); i++)
        {
            keep[i] = false;
        }
        return keep;
    }

    // Per grid point and per copy c = (ex + 2)·5 + (ey + 2): Gaussian envelope (normalised) and carrier phase.
    private static (double[] Envelope, double[] Phase) GaborParts(int h, int w, double sigma, double theta, double xi, double slant)
    {
        double cos = Math.Cos(theta), sin = Math.Sin(theta), s2 = slant * slant, d = 2 * sigma * sigma;
        double a = (cos * cos + s2 * sin * sin) / d, b = (1 - s2) * cos * sin / d, c = (sin * sin + s2 * cos * cos) / d;
        var norm = 2 * KymatioPi * sigma * sigma / slant;
        var envelope = new double[25 * h * w];
        var phase = new double[25 * h * w];
        for (var ex = -2; ex <= 2; ex++)
        {
            for (var ey = -2; ey <= 2; ey++)
            {
                var copy = ((ex + 2) * 5 + ey + 2) * h * w;
                for (var x = 0; x < h; x++)
                {
                    double u = x + ex * h;
                    for (var y = 0; y < w; y++)
                    {
                        double v = y + ey * w;
                        envelope[copy + x * w + y] = Math.Exp(-(a * u * u + 2 * b * u * v + c * v * v)) / norm;
                        phase[copy + x * w + y] = xi * (u * cos + v * sin);
                    }
                }
            }
        }
        return (envelope, phase);
    }

    private double[] RealSpectrum((double[] Re, double[] Im) filter)
    {
        // The imaginary part of the DFT vanishes up to rounding (ψ(−u) = conj ψ(u)); Kymatio drops it too.
        var (re, _) = DoubleDft.Forward2d(filter.Re, filter.Im, PaddedHeight, PaddedWidth);
        return re;
    }
}
