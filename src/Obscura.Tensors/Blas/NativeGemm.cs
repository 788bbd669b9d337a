using System.Runtime.InteropServices;

namespace Obscura.Tensors.Blas;

/// <summary>
/// GEMM through OpenBLAS (Debian's libopenblas0-pthread, <c>libopenblas.so.0</c>).
/// Native code is called only here and in <see cref="NativeLapack"/>.
/// OpenBLAS itself runs single-threaded; large products are split here into <see cref="Threads"/>
/// column (or row) blocks on .NET's thread pool. OpenBLAS's own workers spin after each call and,
/// on a 2-core machine, took the cores from the im2col, pooling and per-example loops that run on
/// the .NET pool between GEMMs (measured: tanh CNN 1.3–1.6× slower with 2 OpenBLAS threads than
/// with 1). One thread pool for everything avoids that.
/// </summary>
public sealed partial class NativeGemm : IGemmProvider
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private int threads;

    private NativeGemm(int threads) => Threads = threads;

    public string Name => "native";

    public int Threads
    {
        get => threads;
        set
        {
            threads = Math.Max(1, value);
            openblas_set_num_threads(1);
        }
    }

    /// <summary>The OpenBLAS core the library selected (e.g. "Haswell", "SkylakeX").</summary>
    public static string CoreName => Marshal.PtrToStringAnsi(openblas_get_corename()) ?? "unknown";

    /// <summary>Loads OpenBLAS; null (with the reason) when it is not installed or not usable.</summary>
    public static NativeGemm? TryCreate(int threads, out string? reason)
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(NativeGemm).Assembly, null, out _))
            {
                reason = $"{Library} was not found (install it with: apt-get install libopenblas0-pthread)";
                return null;
            }
            reason = null;
            return new NativeGemm(threads);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            reason = $"{Library} could not be used: {e.Message}";
            return null;
        }
    }

    public unsafe void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmShapes.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var parts = (int)Math.Min(threads, (long)m * n * k / MinWorkPerThread + 1);
            var splitColumns = n >= m;
            parts = Math.Min(parts, splitColumns ? n / 16 : m / 8);
            if (parts <= 1)
            {
                Call(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                var size = splitColumns ? n : m;
                var start = (int)((long)size * part / parts);
                var count = (int)((long)size * (part + 1) / parts) - start;
                if (splitColumns)
                {
                    // C[:, j0..] = op(A)·op(B)[:, j0..]: B's columns start at j0 (or its rows, transposed).
                    var b0 = (float*)ib + (transB ? (long)start * ldb : start);
                    Call(transA, transB, m, count, k, alpha, (float*)ia, lda, b0, ldb, beta, (float*)ic + start, ldc);
                }
                else
                {
                    var a0 = (float*)ia + (transA ? start : (long)start * lda);
                    Call(transA, transB, count, n, k, alpha, a0, lda, (float*)ib, ldb, beta, (float*)ic + (long)start * ldc, ldc);
                }
            });
        }
    }

    private const long MinWorkPerThread = 1_000_000;

    private static unsafe void Call(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans,
            m, n, k, alpha, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, c, Math.Max(1, ldc));

    [LibraryImport(Library)]
    private static unsafe partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Library)]
    private static partial nint openblas_get_corename();
}
