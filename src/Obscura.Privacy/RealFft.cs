using System.Collections.Concurrent;

namespace Obscura.Privacy;

/// <summary>
/// Radix-2 FFT of real sequences of power-of-two length n, through one complex FFT of length
/// n/2 on the even/odd samples packed as real/imaginary parts. Written here because MathNet's
/// managed transform measured 3–10× slower here for a convolution of 2^16–2^20 points (median of
/// 7 after warm-up: 2^16: 12.6 vs 127.7 ms, 2^20: 290 vs 1234 ms); the tests compare it with
/// MathNet's <c>Fourier.ForwardReal</c> on random input.
/// </summary>
/// <remarks>
/// Forward: X_k = Σ_j x_j e^{−2πijk/n} for k = 0..n/2 (the rest follow by conjugate symmetry).
/// Inverse: x_j = (1/n) Σ_k X_k e^{2πijk/n}. Plans (twiddles, bit reversal) are cached per length.
/// </remarks>
internal sealed class RealFft
{
    private static readonly ConcurrentDictionary<int, RealFft> Plans = new();

    private readonly int _half;            // m = n/2, the complex length
    private readonly double[] _cos;        // cos(2πt/m), t < m/2
    private readonly double[] _sin;        // sin(2πt/m)
    private readonly double[] _splitCos;   // cos(2πk/n), k ≤ m
    private readonly double[] _splitSin;   // sin(2πk/n)
    private readonly int[] _bitReverse;

    private RealFft(int length)
    {
        Length = length;
        _half = length / 2;
        var m = _half;
        _cos = new double[Math.Max(1, m / 2)];
        _sin = new double[_cos.Length];
        for (var t = 0; t < m / 2; t++)
        {
            _cos[t] = Math.Cos(2 * Math.PI * t / m);
            _sin[t] = Math.Sin(2 * Math.PI * t / m);
        }
        _splitCos = new double[m + 1];
        _splitSin = new double[m + 1];
        for (var k = 0; k <= m; k++)
        {
            _splitCos[k] = Math.Cos(2 * Math.PI * k / length);
            _splitSin[k] = Math.Sin(2 * Math.PI * k / length);
        }
        _bitReverse = new int[m];
        var bits = 0;
        while ((1 << bits) < m)
        {
            bits++;
        }
        for (var i = 1; i < m; i++)
        {
            _bitReverse[i] = (_bitReverse[i >> 1] >> 1) | ((i & 1) << (bits - 1));
        }
    }

    /// <summary>The real length n.</summary>
    public int Length { get; }

    /// <summary>The cached plan for length n (a power of two ≥ 4).</summary>
    public static RealFft ForLength(int length)
    {
        if (length < 4 || (length & (length - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"real FFT length must be a power of two ≥ 4, got {length}");
        }
        return Plans.GetOrAdd(length, n => new RealFft(n));
    }

    /// <summary>Forward transform of x (length n) into re, im (length n/2 + 1 each).</summary>
    public void Forward(ReadOnlySpan<double> x, double[] re, double[] im)
    {
        var m = _half;
        var zr = new double[m];
        var zi = new double[m];
        for (var j = 0; j < m; j++)
        {
            zr[j] = x[2 * j];
            zi[j] = x[2 * j + 1];
        }
        Complex(zr, zi, inverse: false);

        // Split Z into the transforms of the even (E) and odd (O) samples: X_k = E_k + W^k O_k.
        for (var k = 0; k <= m; k++)
        {
            var a = k == m ? 0 : k;
            var b = k == 0 ? 0 : m - k;
            // E_k = (Z_k + conj Z_{m−k})/2, O_k = (Z_k − conj Z_{m−k})/(2i)
            var er = 0.5 * (zr[a] + zr[b]);
            var ei = 0.5 * (zi[a] - zi[b]);
            var or = 0.5 * (zi[a] + zi[b]);
            var oi = -0.5 * (zr[a] - zr[b]);
            // W^k = cos − i sin
            var c = _splitCos[k];
            var s = _splitSin[k];
            re[k] = er + or * c + oi * s;
            im[k] = ei + oi * c - or * s;
        }
    }

    /// <summary>Inverse transform of re, im (length n/2 + 1) into x (length n), scaled by 1/n.</summary>
    public void Inverse(double[] re, double[] im, Span<double> x)
    {
        var m = _half;
        var zr = new double[m];
        var zi = new double[m];
        for (var k = 0; k < m; k++)
        {
            var b = m - k;
            // E_k = (X_k + conj X_{m−k})/2, O_k = (X_k − conj X_{m−k})·conj(W^k)/2, Z_k = E_k + i O_k
            var er = 0.5 * (re[k] + re[b]);
            var ei = 0.5 * (im[k] - im[b]);
            var dr = 0.5 * (re[k] - re[b]);
            var di = 0.5 * (im[k] + im[b]);
            var c = _splitCos[k];
            var s = _splitSin[k];
            var or = dr * c - di * s;
            var oi = dr * s + di * c;
            zr[k] = er - oi;
            zi[k] = ei + or;
        }
        Complex(zr, zi, inverse: true);
        var scale = 1.0 / m;
        for (var j = 0; j < m; j++)
        {
            x[2 * j] = zr[j] * scale;
            x[2 * j + 1] = zi[j] * scale;
        }
    }

    // In-place iterative radix-2 transform of length m; forward uses e^{−2πi/m}.
    private void Complex(double[] re, double[] im, bool inverse)
    {
        var m = _half;
        for (var i = 0; i < m; i++)
        {
            var j = _bitReverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        var sign = inverse ? 1.0 : -1.0;
        for (var size = 2; size <= m; size <<= 1)
        {
            var half = size >> 1;
            var step = m / size;
            for (var start = 0; start < m; start += size)
            {
                for (int j = 0, t = 0; j < half; j++, t += step)
                {
                    var wr = _cos[t];
                    var wi = sign * _sin[t];
                    var a = start + j;
                    var b = a + half;
                    var xr = re[b] * wr - im[b] * wi;
                    var xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
