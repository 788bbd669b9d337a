using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Obscura.Tensors.Kernels;

/// <summary>
/// ‖A·Bᵀ‖²_F without storing the product: the materialised per-example norm ‖D_iᵀX_i‖² of a
/// conv or dense layer (DESIGN.md §4) for the small shapes where a BLAS call per example costs
/// more in packing and call overhead than in arithmetic.
/// </summary>
/// <remarks>
/// A is transposed once into scratch ([K, M] with M padded to 16, zero rows contribute nothing),
/// then each 16×4 block of the product is accumulated over K in eight Vector256 registers
/// (two rows of A per lane group, four broadcast values of B per step) and squared in registers.
/// Block sums go to double. Single-threaded; callers split examples across threads.
/// </remarks>
public static class ProductNorm
{
    /// <summary>True when the vector kernel runs on this machine (otherwise use a GEMM).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>Scratch floats <see cref="SquaredNorm"/> needs for M rows of A and K columns.</summary>
    public static int ScratchLength(int m, int k) => Padded(m) * k;

    // a: M rows of length K at stride lda; b: N rows of length K at stride ldb;
    // scratch: at least ScratchLength(M, K) floats (contents overwritten).
    // product: empty, or [N, Padded(M)] receiving (A·Bᵀ)ᵀ (rows of A padded with zeros).
    /// <summary>
    /// Σ_{r,j} (Σ_t a[r·lda + t]·b[j·ldb + t])², summed per 16×4 block in double. When
    /// <paramref name="product"/> is not empty it also receives the product transposed:
    /// product[j·Padded(M) + r] = (A·Bᵀ)[r, j], with zeros in the padding rows.
    /// </summary>
    /// <exception cref="ArgumentException">A span or the scratch is too short for the shapes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredNorm(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> b, int ldb, int n, int k, Span<float> scratch,
        Span<float> product = default)
    {
        if (m <= 0 || n <= 0 || k <= 0)
        {
            return 0;
        }
        int mp = Padded(m);
        if (a.Length < (long)(m - 1) * lda + k || b.Length < (long)(n - 1) * ldb + k || scratch.Length < mp * k)
        {
            throw new ArgumentException($"ProductNorm.SquaredNorm: A [{m}, {k}] (ld {lda}) has {a.Length} values, B [{n}, {k}] (ld {ldb}) has {b.Length}, scratch {scratch.Length} of {mp * k} needed.");
        }
        var keep = !product.IsEmpty;
        if (keep && product.Length < n * mp)
        {
            throw new ArgumentException($"ProductNorm.SquaredNorm: product needs {n * mp} values, got {product.Length}.");
        }
        ref var z = ref MemoryMarshal.GetReference(product);
        var at = scratch[..(mp * k)];
        if (mp != m)
        {
            at.Clear();
        }
        for (var r = 0; r < m; r++)
        {
            var row = a.Slice(r * lda, k);
            for (var t = 0; t < k; t++)
            {
                at[t * mp + r] = row[t];
            }
        }
        ref var x = ref MemoryMarshal.GetReference(at);
        ref var y = ref MemoryMarshal.GetReference(b);
        double total = 0;
        for (var r0 = 0; r0 < mp; r0 += 16)
        {
            var j = 0;
            for (; j + 4 <= n; j += 4)
            {
                Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
                ref var y0 = ref Unsafe.Add(ref y, j * ldb);
                ref var y1 = ref Unsafe.Add(ref y0, ldb);
                ref var y2 = ref Unsafe.Add(ref y1, ldb);
                ref var y3 = ref Unsafe.Add(ref y2, ldb);
                for (var t = 0; t < k; t++)
                {
                    var x0 = Vector256.LoadUnsafe(ref x, (nuint)(t * mp + r0));
                    var x1 = Vector256.LoadUnsafe(ref x, (nuint)(t * mp + r0 + 8));
                    var b0 = Vector256.Create(Unsafe.Add(ref y0, t));
                    var b1 = Vector256.Create(Unsafe.Add(ref y1, t));
                    var b2 = Vector256.Create(Unsafe.Add(ref y2, t));
                    var b3 = Vector256.Create(Unsafe.Add(ref y3, t));
                    c00 = Vector256.FusedMultiplyAdd(x0, b0, c00);
                    c01 = Vector256.FusedMultiplyAdd(x1, b0, c01);
                    c10 = Vector256.FusedMultiplyAdd(x0, b1, c10);
                    c11 = Vector256.FusedMultiplyAdd(x1, b1, c11);
                    c20 = Vector256.FusedMultiplyAdd(x0, b2, c20);
                    c21 = Vector256.FusedMultiplyAdd(x1, b2, c21);
                    c30 = Vector256.FusedMultiplyAdd(x0, b3, c30);
                    c31 = Vector256.FusedMultiplyAdd(x1, b3, c31);
                }
                if (keep)
                {
                    c00.StoreUnsafe(ref z, (nuint)(j * mp + r0));
                    c01.StoreUnsafe(ref z, (nuint)(j * mp + r0 + 8));
                    c10.StoreUnsafe(ref z, (nuint)((j + 1) * mp + r0));
                    c11.StoreUnsafe(ref z, (nuint)((j + 1) * mp + r0 + 8));
                    c20.StoreUnsafe(ref z, (nuint)((j + 2) * mp + r0));
                    c21.StoreUnsafe(ref z, (nuint)((j + 2) * mp + r0 + 8));
                    c30.StoreUnsafe(ref z, (nuint)((j + 3) * mp + r0));
                    c31.StoreUnsafe(ref z, (nuint)((j + 3) * mp + r0 + 8));
                }
                var s = c00 * c00 + c01 * c01 + c10 * c10 + c11 * c11 + c20 * c20 + c21 * c21 + c30 * c30 + c31 * c31;
                total += Vector256.Sum(s);
            }
            for (; j < n; j++)
            {
                Vector256<float> c0 = default, c1 = default;
                ref var y0 = ref Unsafe.Add(ref y, j * ldb);
                for (var t = 0; t < k; t++)
                {
                    var b0 = Vector256.Create(Unsafe.Add(ref y0, t));
                    c0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(t * mp + r0)), b0, c0);
                    c1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(t * mp + r0 + 8)), b0, c1);
                }
                if (keep)
                {
                    c0.StoreUnsafe(ref z, (nuint)(j * mp + r0));
                    c1.StoreUnsafe(ref z, (nuint)(j * mp + r0 + 8));
                }
                total += Vector256.Sum(c0 * c0 + c1 * c1);
            }
        }
        return total;
    }

    /// <summary>M rounded up to a multiple of 16: the row stride of the kept product.</summary>
    public static int Padded(int m) => (m + 15) & ~15;
}
