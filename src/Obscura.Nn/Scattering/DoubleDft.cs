namespace Obscura.Nn.Scattering;

/// <summary>
/// Direct (naive) DFTs in double precision, used once when the filter bank is built so the filters
/// carry no float32 FFT error. Separable 2-D: cost H·W·(H + W) per transform.
/// </summary>
internal static class DoubleDft
{
    /// <summary>Forward 2-D DFT of x: [h, w] (split complex), natural layout [k1, k2] out.</summary>
    public static (double[] Re, double[] Im) Forward2d(double[] re, double[] im, int h, int w)
    {
        var tmpRe = new double[h * w];
        var tmpIm = new double[h * w];
        var (cosW, sinW) = Roots(w, -1);
        for (var r = 0; r < h; r++)
        {
            for (var k = 0; k < w; k++)
            {
                double accRe = 0, accIm = 0;
                for (var t = 0; t < w; t++)
                {
                    var idx = (int)((long)k * t % w);
                    accRe += re[r * w + t] * cosW[idx] - im[r * w + t] * sinW[idx];
                    accIm += re[r * w + t] * sinW[idx] + im[r * w + t] * cosW[idx];
                }
                tmpRe[r * w + k] = accRe;
                tmpIm[r * w + k] = accIm;
            }
        }
        var outRe = new double[h * w];
        var outIm = new double[h * w];
        var (cosH, sinH) = Roots(h, -1);
        for (var c = 0; c < w; c++)
        {
            for (var k = 0; k < h; k++)
            {
                double accRe = 0, accIm = 0;
                for (var t = 0; t < h; t++)
                {
                    var idx = (int)((long)k * t % h);
                    accRe += tmpRe[t * w + c] * cosH[idx] - tmpIm[t * w + c] * sinH[idx];
                    accIm += tmpRe[t * w + c] * sinH[idx] + tmpIm[t * w + c] * cosH[idx];
                }
                outRe[k * w + c] = accRe;
                outIm[k * w + c] = accIm;
            }
        }
        return (outRe, outIm);
    }

    /// <summary>Real part of the forward 1-D DFT of a real signal x: [n].</summary>
    public static double[] ForwardReal1d(double[] x)
    {
        var n = x.Length;
        var (cos, _) = Roots(n, -1);
        var result = new double[n];
        for (var k = 0; k < n; k++)
        {
            double acc = 0;
            for (var t = 0; t < n; t++)
            {
                acc += x[t] * cos[(int)((long)k * t % n)];
            }
            result[k] = acc;
        }
        return result;
    }

    /// <summary>Real part of the normalised inverse 1-D DFT of a real spectrum: (1/n) Σ_k X[k] cos(2πkt/n).</summary>
    public static double[] InverseReal1d(double[] spectrum)
    {
        var n = spectrum.Length;
        var (cos, _) = Roots(n, 1);
        var result = new double[n];
        for (var t = 0; t < n; t++)
        {
            double acc = 0;
            for (var k = 0; k < n; k++)
            {
                acc += spectrum[k] * cos[(int)((long)k * t % n)];
            }
            result[t] = acc / n;
        }
        return result;
    }

    private static (double[] Cos, double[] Sin) Roots(int n, int sign)
    {
        var cos = new double[n];
        var sin = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = sign * 2 * Math.PI * i / n;
            cos[i] = Math.Cos(a);
            sin[i] = Math.Sin(a);
        }
        return (cos, sin);
    }
}
