using System.Runtime.InteropServices;

namespace Obscura.Tensors.Blas;

/// <summary>
/// The two LAPACK routines Obscura needs, from the same OpenBLAS library as <see cref="NativeGemm"/>:
/// the Cholesky factor of a symmetric positive definite matrix and the inverse of a triangular one,
/// in double precision. Callers fall back to their own managed code when <see cref="IsAvailable"/> is false.
/// </summary>
/// <remarks>
/// LAPACK is column-major. A row-major lower-triangular L is, read column-major, the upper-triangular
/// Lᵀ; so the row-major factor A = L·Lᵀ is LAPACK's A = Uᵀ·U with uplo 'U', and inverting that U in
/// place leaves (Lᵀ)⁻¹ column-major, that is L⁻¹ row-major.
/// </remarks>
public static partial class NativeLapack
{
    private const string Library = "libopenblas.so.0";

    /// <summary>True when OpenBLAS loads and the native GEMM provider is in use.</summary>
    public static bool IsAvailable => Gemm.Current is NativeGemm;

    /// <summary>
    /// Overwrites the row-major symmetric positive definite [d, d] matrix <paramref name="a"/> with its
    /// lower Cholesky factor L (A = L·Lᵀ; the strict upper part is set to zero).
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is not positive definite.</exception>
    public static unsafe void CholeskyLower(double[] a, int d)
    {
        Check(a, d);
        byte upper = (byte)'U';
        int n = d, lda = Math.Max(1, d), info;
        fixed (double* pa = a)
        {
            dpotrf_(&upper, &n, pa, &lda, &info);
        }
        if (info > 0)
        {
            throw new ArgumentException($"NativeLapack.CholeskyLower: the matrix is not positive definite (leading minor {info}).");
        }
        if (info < 0)
        {
            throw new InvalidOperationException($"NativeLapack.CholeskyLower: dpotrf rejected argument {-info}.");
        }
        ZeroStrictUpper(a, d);
    }

    /// <summary>Overwrites the row-major lower-triangular [d, d] matrix <paramref name="l"/> with its inverse.</summary>
    /// <exception cref="ArgumentException">A diagonal entry is zero (the matrix is singular).</exception>
    public static unsafe void InvertLower(double[] l, int d)
    {
        Check(l, d);
        byte upper = (byte)'U', nonUnit = (byte)'N';
        int n = d, lda = Math.Max(1, d), info;
        fixed (double* pl = l)
        {
            dtrtri_(&upper, &nonUnit, &n, pl, &lda, &info);
        }
        if (info > 0)
        {
            throw new ArgumentException($"NativeLapack.InvertLower: diagonal entry {info} is zero; the matrix is singular.");
        }
        if (info < 0)
        {
            throw new InvalidOperationException($"NativeLapack.InvertLower: dtrtri rejected argument {-info}.");
        }
        ZeroStrictUpper(l, d);
    }

    private static void Check(double[] a, int d)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (d < 1 || a.Length != (long)d * d)
        {
            throw new ArgumentException($"NativeLapack: a [{d}, {d}] matrix needs {(long)d * d} entries, got {a.Length}.");
        }
    }

    // LAPACK leaves the other triangle as it found it.
    private static void ZeroStrictUpper(double[] a, int d)
    {
        for (var i = 0; i < d; i++)
        {
            a.AsSpan(i * d + i + 1, d - i - 1).Clear();
        }
    }

    [LibraryImport(Library)]
    private static unsafe partial void dpotrf_(byte* uplo, int* n, double* a, int* lda, int* info);

    [LibraryImport(Library)]
    private static unsafe partial void dtrtri_(byte* uplo, byte* diag, int* n, double* a, int* lda, int* info);
}
