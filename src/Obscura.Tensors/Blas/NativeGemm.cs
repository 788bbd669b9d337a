using System.Runtime.InteropServices;

namespace Obscura.Tensors.Blas;

/// <summary>
/// GEMM through OpenBLAS (Debian's libopenblas0-pthread, <c>libopenblas.so.0</c>).
/// This is the only file in Obscura that calls native code.
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
            openblas_set_num_threads(threads);
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
            cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans,
                m, n, k, alpha, pa, Math.Max(1, lda), pb, Math.Max(1, ldb), beta, pc, Math.Max(1, ldc));
        }
    }

    [LibraryImport(Library)]
    private static unsafe partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Library)]
    private static partial nint openblas_get_corename();
}
