using Obscura.Tensors.Kernels;

namespace Obscura.Tensors.Tests;

public class ProductNormTests
{
    // (M, N, K): row tails (M not a multiple of 16), column tails (N not a multiple of 4), K = 1.
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(16, 64, 196)]
    [InlineData(32, 256, 25)]
    [InlineData(5, 7, 3)]
    [InlineData(17, 9, 33)]
    [InlineData(10, 1, 257)]
    public void SquaredNorm_OfStridedBlocks_EqualsNaiveProductNormInDouble(int m, int n, int k)
    {
        if (!ProductNorm.IsSupported)
        {
            return;
        }
        var rng = new Random(m * 1000 + n * 10 + k);
        int lda = k + 3, ldb = k + 5;
        var a = new float[(m - 1) * lda + k];
        var b = new float[(n - 1) * ldb + k];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        double expected = 0;
        for (var r = 0; r < m; r++)
        {
            for (var j = 0; j < n; j++)
            {
                double dot = 0;
                for (var t = 0; t < k; t++)
                {
                    dot += (double)a[r * lda + t] * b[j * ldb + t];
                }
                expected += dot * dot;
            }
        }
        var scratch = new float[ProductNorm.ScratchLength(m, k)];
        Array.Fill(scratch, float.NaN);
        var actual = ProductNorm.SquaredNorm(a, lda, m, b, ldb, n, k, scratch);
        Assert.Equal(expected, actual, expected * 1e-5);
    }
}
