namespace Obscura.Tensors.Blas;

/// <summary>Argument checks shared by the GEMM providers, with messages that name the shapes.</summary>
internal static class GemmShapes
{
    public static void Check(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"Sgemm: negative size m={m}, n={n}, k={k}.");
        }
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        Need("A", aRows, aCols, lda, aLength);
        Need("B", bRows, bCols, ldb, bLength);
        Need("C", m, n, ldc, cLength);
    }

    private static void Need(string name, int rows, int cols, int ld, int length)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }
        if (ld < cols)
        {
            throw new ArgumentException($"Sgemm: leading dimension of {name} is {ld}, less than its {cols} columns.");
        }
        if ((long)(rows - 1) * ld + cols > length)
        {
            throw new ArgumentException($"Sgemm: {name} is {rows}×{cols} (ld {ld}) but its span holds only {length} values.");
        }
    }
}
