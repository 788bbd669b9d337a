using Obscura.Tensors.Blas;

namespace Obscura.Tensors.Tests;

public class GemmTests
{
    // Float GEMM vs the double reference: error grows at most linearly in k times Σ|a||b|.
    private const double RelativeTolerancePerTerm = 2e-7;

    public static TheoryData<string> Providers => new() { "managed", "managed-256", "managed-rows", "native" };

    // (m, n, k)
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 1), (5, 1, 3), (3, 4, 0), (0, 3, 2), (2, 0, 3), (1, 1, 300),
        (7, 13, 5), (17, 33, 9), (64, 64, 64), (31, 129, 65), (300, 257, 129), (16, 4096, 64), (256, 8, 1000),
    ];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Sgemm_AllTransposesAndShapes_MatchNaiveTripleLoopInDouble(string provider)
    {
        var gemm = Create(provider);
        foreach (var (m, n, k) in Shapes)
        {
            foreach (var transA in new[] { false, true })
            {
                foreach (var transB in new[] { false, true })
                {
                    Check(gemm, 1, transA, transB, m, n, k, 1f, 0f, pad: 0);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Sgemm_AlphaBetaAndWideLeadingDimensions_MatchNaiveTripleLoop(string provider)
    {
        var gemm = Create(provider);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 7, 3), (33, 17, 65), (130, 70, 40) })
        {
            foreach (var (alpha, beta) in new[] { (1f, 1f), (0.5f, -2f), (-1.5f, 0f), (0f, 0.25f), (2f, 1f) })
            {
                foreach (var transA in new[] { false, true })
                {
                    foreach (var transB in new[] { false, true })
                    {
                        Check(gemm, 2, transA, transB, m, n, k, alpha, beta, pad: 3);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Sgemm_TooShortSpan_ThrowsNamingTheMatrix(string provider)
    {
        var gemm = Create(provider);
        var e = Assert.Throws<ArgumentException>(() => gemm.Sgemm(false, false, 3, 3, 3, 1f, new float[8], 3, new float[9], 3, 0f, new float[9], 3));
        Assert.Contains("A", e.Message);
    }

    [Fact]
    public void Configure_Managed_SelectsTheManagedProviderWithTheThreadCount()
    {
        var provider = Gemm.Configure(BlasChoice.Managed, 2);
        try
        {
            Assert.Equal("managed", provider.Name);
            Assert.Equal(2, provider.Threads);
            Assert.Same(provider, Gemm.Current);
        }
        finally
        {
            Gemm.Configure(BlasChoice.Auto, null);
        }
    }

    private static IGemmProvider Create(string provider)
    {
        if (provider == "managed")
        {
            return new ManagedGemm(2);
        }
        if (provider == "managed-256")
        {
            return new ManagedGemm(2) { Narrow = true };
        }
        if (provider == "managed-rows")
        {
            return new ManagedGemm(2) { RowKernelOnly = true };
        }
        var native = NativeGemm.TryCreate(2, out var reason);
        Assert.True(native is not null, $"OpenBLAS is needed for the native provider's tests: {reason}.");
        return native!;
    }

    // The logical op(A) [m, k], op(B) [k, n], C [m, n] and the double reference product, computed
    // once per shape and shared by all transpose combinations and both providers.
    private sealed record Case(float[] OpA, float[] OpB, float[] C, double[] Product, double[] AbsProduct);

    private static readonly Dictionary<(int, int, int, int), Case> Cases = [];

    private static Case Reference(int seed, int m, int n, int k)
    {
        lock (Cases)
        {
            if (Cases.TryGetValue((seed, m, n, k), out var cached))
            {
                return cached;
            }
            var rng = new Random(seed * 7919 + m * 31 + n * 17 + k);
            var opA = Matrix(rng, m, k, k);
            var opB = Matrix(rng, k, n, n);
            var c = Matrix(rng, m, n, n);
            var product = new double[m * n];
            var abs = new double[m * n];
            var column = new double[k];
            for (var j = 0; j < n; j++)
            {
                for (var p = 0; p < k; p++)
                {
                    column[p] = opB[p * n + j];
                }
                for (var i = 0; i < m; i++)
                {
                    double sum = 0, absSum = 0;
                    var row = i * k;
                    for (var p = 0; p < k; p++)
                    {
                        var term = opA[row + p] * column[p];
                        sum += term;
                        absSum += Math.Abs(term);
                    }
                    product[i * n + j] = sum;
                    abs[i * n + j] = absSum;
                }
            }
            return Cases[(seed, m, n, k)] = new Case(opA, opB, c, product, abs);
        }
    }

    // A, B and C stored with leading dimensions padded by `pad`; padding holds NaN (must not be
    // read) and C's padding must survive; with beta = 0, C starts as NaN (must be overwritten).
    private static void Check(IGemmProvider gemm, int seed, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad)
    {
        var r = Reference(seed, m, n, k);
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        var a = Store(r.OpA, m, k, lda, transA);
        var b = Store(r.OpB, k, n, ldb, transB);
        var c = Store(r.C, m, n, ldc, false);
        if (beta == 0f)
        {
            for (var i = 0; i < m; i++)
            {
                c.AsSpan(i * ldc, n).Fill(float.NaN);
            }
        }
        var before = (float[])c.Clone();
        gemm.Sgemm(transA, transB, m, n, k, alpha, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, c, Math.Max(1, ldc));
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var old = beta == 0f ? 0 : (double)r.C[i * n + j];
                var expected = alpha * r.Product[i * n + j] + beta * old;
                var tolerance = RelativeTolerancePerTerm * (k + 10) * (Math.Abs(alpha) * r.AbsProduct[i * n + j] + Math.Abs(beta * old)) + 1e-6;
                var actual = c[i * ldc + j];
                Assert.True(Math.Abs(expected - actual) <= tolerance,
                    $"{gemm.Name} transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}: C[{i},{j}] expected {expected}, got {actual}.");
            }
            for (var j = n; j < ldc && i * ldc + j < c.Length; j++)
            {
                Assert.Equal(before[i * ldc + j], c[i * ldc + j]);
            }
        }
    }

    // A logical rows×cols matrix stored row-major (ld ≥ cols) or, when `transposed`, as its
    // transpose (cols×rows, ld ≥ rows); everything else NaN.
    private static float[] Store(float[] logical, int rows, int cols, int ld, bool transposed)
    {
        var storedRows = transposed ? cols : rows;
        var values = new float[Math.Max(0, storedRows * ld)];
        Array.Fill(values, float.NaN);
        for (var r = 0; r < rows; r++)
        {
            for (var col = 0; col < cols; col++)
            {
                values[transposed ? col * ld + r : r * ld + col] = logical[r * cols + col];
            }
        }
        return values;
    }

    private static float[] Matrix(Random rng, int rows, int cols, int ld)
    {
        var values = new float[Math.Max(0, rows * ld)];
        Array.Fill(values, float.NaN);
        for (var r = 0; r < rows; r++)
        {
            for (var col = 0; col < cols; col++)
            {
                values[r * ld + col] = (float)(2 * rng.NextDouble() - 1);
            }
        }
        return values;
    }
}
