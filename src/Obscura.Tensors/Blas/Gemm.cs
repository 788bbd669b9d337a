namespace Obscura.Tensors.Blas;

/// <summary>Which GEMM provider to use: <c>--blas auto|native|managed</c>.</summary>
public enum BlasChoice
{
    Auto,
    Native,
    Managed,
}

/// <summary>
/// The process-wide GEMM provider. Auto picks OpenBLAS when it loads and the managed kernel
/// otherwise; <see cref="Configure"/> overrides the choice and the thread count.
/// </summary>
public static class Gemm
{
    private static IGemmProvider? current;

    /// <summary>The provider in use (configured on first use with defaults if not yet set).</summary>
    public static IGemmProvider Current => current ??= Configure(BlasChoice.Auto, null);

    /// <summary>Why the native provider is not in use, when it is not.</summary>
    public static string? FallbackReason { get; private set; }

    /// <summary>
    /// Selects the provider and its thread count (default: all cores), which also becomes
    /// <see cref="Kernels.BatchParallel.Threads"/> for im2col, pooling and the like. Asking for native when
    /// OpenBLAS cannot be loaded throws with the reason and the install command.
    /// </summary>
    public static IGemmProvider Configure(BlasChoice choice, int? threads)
    {
        if (threads is < 1)
        {
            throw new ArgumentException($"--threads must be at least 1, got {threads}.");
        }
        var count = threads ?? Environment.ProcessorCount;
        Kernels.BatchParallel.Threads = count; // one --threads for the GEMMs and the batch kernels
        FallbackReason = null;
        IGemmProvider provider;
        if (choice == BlasChoice.Managed)
        {
            provider = new ManagedGemm(count);
        }
        else
        {
            var native = NativeGemm.TryCreate(count, out var reason);
            if (native is null && choice == BlasChoice.Native)
            {
                throw new ArgumentException($"--blas native: {reason}.");
            }
            FallbackReason = reason;
            provider = (IGemmProvider?)native ?? new ManagedGemm(count);
        }
        current = provider;
        return provider;
    }

    /// <summary>Parses "auto", "native" or "managed".</summary>
    public static BlasChoice Parse(string text) => text.ToLowerInvariant() switch
    {
        "auto" => BlasChoice.Auto,
        "native" => BlasChoice.Native,
        "managed" => BlasChoice.Managed,
        _ => throw new ArgumentException($"--blas must be auto, native or managed, got '{text}'."),
    };

    /// <summary>Shorthand for <see cref="IGemmProvider.Sgemm"/> on the current provider.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc) =>
        Current.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
