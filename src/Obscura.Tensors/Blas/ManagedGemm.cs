using System.Buffers;
using System.Numerics.Tensors;

namespace Obscura.Tensors.Blas;

/// <summary>
/// The managed GEMM, the fallback when OpenBLAS cannot be loaded. With 256-bit vectors it runs
/// <see cref="BlockedGemm"/> (packed panels, 6×16 register-blocked micro-kernel); without them, the
/// obviously correct row update C[i,:] += A[i,p]·B[p,:] over cache-sized blocks of op(B), rows of C
/// split across threads.
/// </summary>
public sealed class ManagedGemm(int threads) : IGemmProvider
{
    private const int BlockK = 128;
    private const int BlockN = 512;

    private int threads = Math.Max(1, threads);

    public string Name => "managed";

    /// <summary>Tests only: always use the row-update kernel, even where the blocked one runs.</summary>
    internal bool RowKernelOnly { get; init; }

    /// <summary>Tests only: use the 256-bit micro-kernel even where 512-bit vectors run.</summary>
    internal bool Narrow { get; init; }

    public int Threads
    {
        get => threads;
        set => threads = Math.Max(1, value);
    }

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmShapes.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            ScaleRows(c, m, n, ldc, beta);
            return;
        }
        if (BlockedGemm.IsSupported && !RowKernelOnly)
        {
            ScaleRows(c, m, n, ldc, beta);
            if (alpha != 0f)
            {
                Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
            }
            return;
        }

        // op(B) packed as k×n contiguous rows so the inner loop is one vector axpy.
        var packedB = ArrayPool<float>.Shared.Rent(Math.Max(1, k * n));
        var packedA = ArrayPool<float>.Shared.Rent(Math.Max(1, m * k));
        try
        {
            Pack(b, ldb, transB, k, n, packedB);
            Pack(a, lda, transA, m, k, packedA);
            var cArray = ArrayPool<float>.Shared.Rent(m * n);
            try
            {
                for (var i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).CopyTo(cArray.AsSpan(i * n, n));
                }
                var parts = Math.Min(threads, Math.Max(1, (int)Math.Min(m, (long)m * n * k / 65536 + 1)));
                if (parts == 1)
                {
                    Rows(0, m, n, k, alpha, packedA, packedB, beta, cArray);
                }
                else
                {
                    Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
                    {
                        var start = (int)((long)m * part / parts);
                        var end = (int)((long)m * (part + 1) / parts);
                        Rows(start, end, n, k, alpha, packedA, packedB, beta, cArray);
                    });
                }
                for (var i = 0; i < m; i++)
                {
                    cArray.AsSpan(i * n, n).CopyTo(c.Slice(i * ldc, n));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(cArray);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedB);
            ArrayPool<float>.Shared.Return(packedA);
        }
    }

    private unsafe void Blocked(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            BlockedGemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, threads, BlockedGemm.WideSupported && !Narrow);
        }
    }

    // C = beta·C on an m×n block (beta = 0 overwrites, so NaNs in C do not survive).
    private static void ScaleRows(Span<float> c, int m, int n, int ldc, float beta)
    {
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    // Copies op(X) (rows×cols) into dest as contiguous rows.
    private static void Pack(ReadOnlySpan<float> x, int ld, bool trans, int rows, int cols, float[] dest)
    {
        if (!trans)
        {
            for (var r = 0; r < rows; r++)
            {
                x.Slice(r * ld, cols).CopyTo(dest.AsSpan(r * cols, cols));
            }
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            for (var col = 0; col < cols; col++)
            {
                dest[r * cols + col] = x[col * ld + r];
            }
        }
    }

    // c rows [start, end): c = alpha·A·B + beta·c, A m×k and B k×n packed.
    private static void Rows(int start, int end, int n, int k, float alpha,
        float[] a, float[] b, float beta, float[] c)
    {
        for (var i = start; i < end; i++)
        {
            var row = c.AsSpan(i * n, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
        for (var n0 = 0; n0 < n; n0 += BlockN)
        {
            var nb = Math.Min(BlockN, n - n0);
            for (var k0 = 0; k0 < k; k0 += BlockK)
            {
                var kb = Math.Min(BlockK, k - k0);
                for (var i = start; i < end; i++)
                {
                    var row = c.AsSpan(i * n + n0, nb);
                    var aRow = a.AsSpan(i * k + k0, kb);
                    for (var p = 0; p < kb; p++)
                    {
                        var s = alpha * aRow[p];
                        if (s != 0f)
                        {
                            TensorPrimitives.MultiplyAdd(b.AsSpan((k0 + p) * n + n0, nb), s, row, row);
                        }
                    }
                }
            }
        }
    }
}
