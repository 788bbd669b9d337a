using Obscura.Nn.Scattering;
using Complex = System.Numerics.Complex;

namespace Obscura.Scattering.Tests;

/// <summary>
/// Slow, independent reference for the scattering transform in double precision: numpy-style reflect
/// padding, the Kymatio filters taken in space from the filter formulas and folded to each resolution
/// through a naive DFT, then every convolution done directly in space (circular on the grid) and
/// every subsampling by picking samples. Shares only the filter formulas with the fast path.
/// </summary>
internal static class NaiveScattering
{
    public static double[] Transform(float[] image, int channels, int height, int width, int j, int l)
    {
        var (hp, wp) = ScatterNet.PaddedSize(height, width, j);
        var bank = new ScatterFilterBank(hp, wp, j, l);
        int hOut = hp / (1 << j) - 2, wOut = wp / (1 << j) - 2;
        var paths = 1 + j * l + l * l * j * (j - 1) / 2;

        // Filters in space at every resolution r < J: IDFT_r(fold_r(Re DFT(f))).
        var psi = new Complex[j * l, j][];
        for (var n = 0; n < j * l; n++)
        {
            var spectrum = RealDft(bank.WaveletSpatial(n), hp, wp);
            for (var r = 0; r < j; r++)
            {
                psi[n, r] = InverseDft(ScatterFilterBank.Periodize(spectrum, hp, wp, r), hp >> r, wp >> r);
            }
        }
        var phi = new Complex[j][];
        var phiSpectrum = RealDft(bank.LowPassSpatial(), hp, wp);
        for (var r = 0; r < j; r++)
        {
            phi[r] = InverseDft(ScatterFilterBank.Periodize(phiSpectrum, hp, wp, r), hp >> r, wp >> r);
        }

        var output = new double[channels * paths * hOut * wOut];
        for (var c = 0; c < channels; c++)
        {
            var x = new Complex[hp * wp];
            int top = (hp - height) / 2, left = (wp - width) / 2;
            for (var a = 0; a < hp; a++)
            {
                for (var b = 0; b < wp; b++)
                {
                    x[a * wp + b] = image[c * height * width + Reflect(a - top, height) * width + Reflect(b - left, width)];
                }
            }
            var path = c * paths;
            LowPassInto(x, hp, wp, phi[0], 1 << j, hOut, wOut, output, path++);
            var second = c * paths + 1 + j * l;
            for (var n1 = 0; n1 < j * l; n1++)
            {
                var j1 = n1 / l;
                var u1 = ModulusSampled(x, psi[n1, 0], hp, wp, 1 << j1);
                int h1 = hp >> j1, w1 = wp >> j1;
                LowPassInto(u1, h1, w1, phi[j1], 1 << (j - j1), hOut, wOut, output, path++);
                for (var n2 = (j1 + 1) * l; n2 < j * l; n2++)
                {
                    var j2 = n2 / l;
                    var u2 = ModulusSampled(u1, psi[n2, j1], h1, w1, 1 << (j2 - j1));
                    LowPassInto(u2, hp >> j2, wp >> j2, phi[j2], 1 << (j - j2), hOut, wOut, output, second++);
                }
            }
        }
        return output;
    }

    // numpy 'reflect': mirror about the edge sample, period 2(n − 1).
    private static int Reflect(int i, int n)
    {
        var period = 2 * (n - 1);
        var t = ((i % period) + period) % period;
        return t < n ? t : period - t;
    }

    // |x ⋆ f| (circular) evaluated only at the samples kept by subsampling with `step`: [h/step, w/step].
    private static Complex[] ModulusSampled(Complex[] x, Complex[] f, int h, int w, int step)
    {
        int hs = h / step, ws = w / step;
        var u = new Complex[hs * ws];
        for (var a = 0; a < hs; a++)
        {
            for (var b = 0; b < ws; b++)
            {
                var acc = Complex.Zero;
                for (var p = 0; p < h; p++)
                {
                    var row = (a * step - p + h) % h * w;
                    for (var q = 0; q < w; q++)
                    {
                        acc += x[p * w + q] * f[row + (b * step - q + w) % w];
                    }
                }
                u[a * ws + b] = acc.Magnitude;
            }
        }
        return u;
    }

    // Low-pass evaluated only at the kept samples: position step·(u + 1) (subsample, then crop one sample).
    private static void LowPassInto(Complex[] x, int h, int w, Complex[] phi, int step, int hOut, int wOut, double[] output, int map)
    {
        for (var u = 0; u < hOut; u++)
        {
            for (var v = 0; v < wOut; v++)
            {
                int a = step * (u + 1), b = step * (v + 1);
                var acc = Complex.Zero;
                for (var p = 0; p < h; p++)
                {
                    for (var q = 0; q < w; q++)
                    {
                        acc += x[p * w + q] * phi[(a - p + h) % h * w + (b - q + w) % w];
                    }
                }
                output[(map * hOut + u) * wOut + v] = acc.Real;
            }
        }
    }

    // Direct DFT, row by row then column by column (still no FFT), real part kept.
    private static double[] RealDft((double[] Re, double[] Im) f, int h, int w)
    {
        var x = new Complex[h * w];
        for (var i = 0; i < h * w; i++)
        {
            x[i] = new Complex(f.Re[i], f.Im[i]);
        }
        var spectrum = Dft2d(x, h, w, -1);
        return spectrum.Select(v => v.Real).ToArray();
    }

    private static Complex[] Dft2d(Complex[] x, int h, int w, int sign)
    {
        var (eh, ew) = (Roots(h, sign), Roots(w, sign));
        var rows = new Complex[h * w];
        for (var a = 0; a < h; a++)
        {
            for (var k2 = 0; k2 < w; k2++)
            {
                var acc = Complex.Zero;
                for (var b = 0; b < w; b++)
                {
                    acc += x[a * w + b] * ew[k2 * b % w];
                }
                rows[a * w + k2] = acc;
            }
        }
        var result = new Complex[h * w];
        for (var k2 = 0; k2 < w; k2++)
        {
            for (var k1 = 0; k1 < h; k1++)
            {
                var acc = Complex.Zero;
                for (var a = 0; a < h; a++)
                {
                    acc += rows[a * w + k2] * eh[k1 * a % h];
                }
                result[k1 * w + k2] = acc;
            }
        }
        return result;
    }

    private static Complex[] Roots(int n, int sign)
    {
        var roots = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            roots[i] = Complex.FromPolarCoordinates(1, sign * 2 * Math.PI * i / n);
        }
        return roots;
    }

    private static Complex[] InverseDft(double[] spectrum, int h, int w)
    {
        var x = Dft2d(spectrum.Select(v => new Complex(v, 0)).ToArray(), h, w, 1);
        return x.Select(v => v / (h * w)).ToArray();
    }
}
