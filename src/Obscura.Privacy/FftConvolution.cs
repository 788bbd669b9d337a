namespace Obscura.Privacy;

/// <summary>Convolutions of probability mass vectors by real FFT (<see cref="RealFft"/>), power-of-two sizes.</summary>
internal static class FftConvolution
{
    /// <summary>Largest FFT length used (2^22 doubles = 32 MiB per buffer, about 1 s per transform pair).</summary>
    public const int MaxLength = 1 << 22;

    /// <summary>The full linear convolution a ∗ b, length a.Length + b.Length − 1; tiny negatives from rounding set to 0.</summary>
    public static double[] Linear(double[] a, double[] b)
    {
        var outLength = a.Length + b.Length - 1;
        var n = PowerOfTwoAtLeast(outLength);
        var (ar, ai) = Transform(a, n);
        var (br, bi) = Transform(b, n);
        for (var k = 0; k < ar.Length; k++)
        {
            var re = ar[k] * br[k] - ai[k] * bi[k];
            var im = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = re;
            ai[k] = im;
        }
        var circle = new double[n];
        RealFft.ForLength(n).Inverse(ar, ai, circle);
        var result = new double[outLength];
        for (var i = 0; i < outLength; i++)
        {
            result[i] = Math.Max(0, circle[i]);
        }
        return result;
    }

    /// <summary>
    /// Entries lower..lower+width−1 of the count-fold self-convolution of a, computed as the
    /// count-th power in the Fourier domain on a circle of length n ≥ max(width, a.Length).
    /// Mass of the true result outside the window wraps around onto the circle; the caller
    /// bounds that mass (Chernoff) and accounts for it.
    /// </summary>
    public static double[] SelfConvolveWindow(double[] a, long count, long lower, int width)
    {
        var n = PowerOfTwoAtLeast(Math.Max(width, a.Length));
        var (re, im) = Transform(a, n);
        for (var k = 0; k < re.Length; k++)
        {
            var magnitude = Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
            if (magnitude == 0)
            {
                continue;
            }
            var logMagnitude = count * Math.Log(magnitude);
            if (logMagnitude < -745)
            {
                re[k] = 0;
                im[k] = 0;
                continue;
            }
            var angle = count * Math.Atan2(im[k], re[k]);
            var scaled = Math.Exp(logMagnitude);
            re[k] = scaled * Math.Cos(angle);
            im[k] = scaled * Math.Sin(angle);
        }
        var f = new double[n];
        RealFft.ForLength(n).Inverse(re, im, f);
        var result = new double[width];
        var start = (int)(((lower % n) + n) % n);
        for (var i = 0; i < width; i++)
        {
            result[i] = Math.Max(0, f[(start + i) & (n - 1)]);
        }
        return result;
    }

    public static int PowerOfTwoAtLeast(long length)
    {
        if (length > MaxLength)
        {
            throw new GridTooLargeException(length, MaxLength);
        }
        var n = 4;
        while (n < length)
        {
            n <<= 1;
        }
        return n;
    }

    // Folds a onto a circle of length n (exact for the circular convolution) and transforms it.
    private static (double[] Re, double[] Im) Transform(double[] a, int n)
    {
        var buffer = new double[n];
        for (var i = 0; i < a.Length; i++)
        {
            buffer[i & (n - 1)] += a[i];
        }
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        RealFft.ForLength(n).Forward(buffer, re, im);
        return (re, im);
    }
}
