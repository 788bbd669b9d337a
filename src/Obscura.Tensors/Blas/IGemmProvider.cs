namespace Obscura.Tensors.Blas;

/// <summary>
/// Single-precision matrix product on row-major matrices:
/// C[m×n] = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n.
/// A is stored m×k (lda ≥ k) unless <c>transA</c>, then k×m (lda ≥ m); B likewise.
/// With beta = 0, C need not be initialised (NaNs in it are overwritten).
/// </summary>
public interface IGemmProvider
{
    /// <summary>"native" or "managed", as accepted by <c>--blas</c>.</summary>
    string Name { get; }

    /// <summary>Threads the provider may use (≥ 1).</summary>
    int Threads { get; set; }

    void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc);
}
