using MathNet.Numerics;

namespace Obscura.Privacy;

/// <summary>Log-space arithmetic and Gaussian tails that stay accurate far into the tails.</summary>
internal static class LogMath
{
    /// <summary>
    /// log(1 + x) accurate for tiny x (.NET's double.LogP1 is computed as log(x + 1) and loses
    /// the digits that matter here). Kahan's trick: the rounding of 1 + x cancels in the ratio.
    /// </summary>
    public static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x − 1 accurate for tiny x (Kahan's trick, as in <see cref="Log1P"/>).</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5)
        {
            return Math.Exp(x) - 1;
        }
        var u = Math.Exp(x);
        return u == 1 ? x : (u - 1) * x / Math.Log(u);
    }

    /// <summary>log(e^a + e^b), exact for −∞ arguments.</summary>
    public static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }
        if (double.IsNegativeInfinity(b))
        {
            return a;
        }
        var max = Math.Max(a, b);
        return max + Log1P(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>log(e^a − e^b) for a ≥ b; −∞ when they are equal.</summary>
    public static double LogSub(double a, double b)
    {
        if (double.IsNegativeInfinity(b))
        {
            return a;
        }
        if (b > a)
        {
            return double.NaN;
        }
        return b == a ? double.NegativeInfinity : a + Math.Log(-ExpM1(b - a));
    }

    /// <summary>
    /// log erfc(x). Below 25 MathNet's erfc is accurate to relative precision; beyond it erfc
    /// underflows soon after, so the asymptotic series erfc(x) ≈ e^{−x²}/(x√π)·(1 − 1/(2x²) +
    /// 3/(4x⁴) − 15/(8x⁶)) is used, whose error there is below 1e-12 relative.
    /// </summary>
    public static double LogErfc(double x)
    {
        if (x < 25)
        {
            return Math.Log(SpecialFunctions.Erfc(x));
        }
        var inv2 = 1.0 / (x * x);
        var series = 1 - 0.5 * inv2 + 0.75 * inv2 * inv2 - 1.875 * inv2 * inv2 * inv2;
        return -x * x - Math.Log(x) - 0.5 * Math.Log(Math.PI) + Math.Log(series);
    }

    /// <summary>Φ̄(z) = P(Z &gt; z) for a standard normal Z, accurate in relative terms for large z.</summary>
    public static double UpperTail(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>Φ(z) = P(Z ≤ z), accurate in relative terms for very negative z.</summary>
    public static double LowerTail(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// P(a &lt; Z ≤ b) for a standard normal Z and a ≤ b, computed from the tail on the far side
    /// of 0 so that two tiny tail values are subtracted rather than two values near 1.
    /// </summary>
    public static double NormalMass(double a, double b)
    {
        if (!(b > a))
        {
            return 0;
        }
        return a >= 0 ? UpperTail(a) - UpperTail(b) : LowerTail(b) - LowerTail(a);
    }
}
