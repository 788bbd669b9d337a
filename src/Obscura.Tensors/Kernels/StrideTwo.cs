using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Obscura.Tensors.Kernels;

/// <summary>
/// Vector kernels for the stride-2 rows of <see cref="Patches"/>: every other value of an image row
/// gathered into a contiguous row of columns (im2col), and its adjoint, a contiguous row added to
/// every other value (col2im). Each handles a prefix of the n values in blocks of 8 and 4 and
/// returns its length; the caller does the rest one by one. A block is taken only when all the
/// image values it touches lie inside the image. Without AVX2 they handle nothing.
/// </summary>
internal static class StrideTwo
{
    private const byte EvenOfPair = 0b10_00_10_00; // a0 a2 b0 b2 within each 128-bit lane
    private const byte LanesInOrder = 0b11_01_10_00; // 64-bit pieces 0, 2, 1, 3

    // src = image[at..]; dst[x] = src[2x].
    /// <summary>Gathers dst[x] = src[2x] for a prefix of x &lt; n; returns the prefix length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Gather(ref float src, int at, int imageLength, ref float dst, int n)
    {
        if (!Avx2.IsSupported)
        {
            return 0;
        }
        var x = 0;
        for (; x + 8 <= n && at + 2 * x + 16 <= imageLength; x += 8)
        {
            var a = Vector256.LoadUnsafe(ref src, (nuint)(2 * x));
            var b = Vector256.LoadUnsafe(ref src, (nuint)(2 * x + 8));
            var even = Avx2.Permute4x64(Avx.Shuffle(a, b, EvenOfPair).AsDouble(), LanesInOrder).AsSingle();
            even.StoreUnsafe(ref dst, (nuint)x);
        }
        if (x + 4 <= n && at + 2 * x + 8 <= imageLength)
        {
            var a = Vector128.LoadUnsafe(ref src, (nuint)(2 * x));
            var b = Vector128.LoadUnsafe(ref src, (nuint)(2 * x + 4));
            Sse.Shuffle(a, b, EvenOfPair).StoreUnsafe(ref dst, (nuint)x);
            x += 4;
        }
        return x;
    }

    // dst = image[at..]; dst[2x] += src[x]. The odd values in between get + 0, which leaves them unchanged.
    /// <summary>Adds dst[2x] += src[x] for a prefix of x &lt; n; returns the prefix length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScatterAdd(ref float src, ref float dst, int at, int imageLength, int n)
    {
        if (!Avx2.IsSupported)
        {
            return 0;
        }
        var x = 0;
        for (; x + 8 <= n && at + 2 * x + 16 <= imageLength; x += 8)
        {
            var v = Avx2.Permute4x64(Vector256.LoadUnsafe(ref src, (nuint)x).AsDouble(), LanesInOrder).AsSingle();
            var low = Vector256.LoadUnsafe(ref dst, (nuint)(2 * x)) + Avx.UnpackLow(v, Vector256<float>.Zero);
            var high = Vector256.LoadUnsafe(ref dst, (nuint)(2 * x + 8)) + Avx.UnpackHigh(v, Vector256<float>.Zero);
            low.StoreUnsafe(ref dst, (nuint)(2 * x));
            high.StoreUnsafe(ref dst, (nuint)(2 * x + 8));
        }
        if (x + 4 <= n && at + 2 * x + 8 <= imageLength)
        {
            var v = Vector128.LoadUnsafe(ref src, (nuint)x);
            var low = Vector128.LoadUnsafe(ref dst, (nuint)(2 * x)) + Sse.UnpackLow(v, Vector128<float>.Zero);
            var high = Vector128.LoadUnsafe(ref dst, (nuint)(2 * x + 4)) + Sse.UnpackHigh(v, Vector128<float>.Zero);
            low.StoreUnsafe(ref dst, (nuint)(2 * x));
            high.StoreUnsafe(ref dst, (nuint)(2 * x + 4));
            x += 4;
        }
        return x;
    }
}
