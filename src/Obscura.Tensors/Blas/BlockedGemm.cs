using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Obscura.Tensors.Blas;

/// <summary>
/// Packed, register-blocked SGEMM (the GotoBLAS loop order) for <see cref="ManagedGemm"/>:
/// C[m×n] += alpha·op(A)·op(B) on row-major storage. op(B) is packed per KC×NC block into
/// NR-column slivers, alpha·op(A) per MC×KC block into 6-row slivers (both zero-padded at the
/// edges, so the micro-kernel never branches on shape), and a 6×NR micro-kernel keeps its tile in
/// twelve vector accumulators (NR = 32 with Vector512, 16 with Vector256). The caller scales C by
/// beta first. Threads take disjoint column (or row) ranges of C, each with its own packing buffers.
/// </summary>
internal static unsafe class BlockedGemm
{
    public const int MR = 6;

    /// <summary>True where 512-bit vectors run in hardware: micro-tiles are then 6×32, else 6×16.</summary>
    public static bool WideSupported => Vector512.IsHardwareAccelerated;
    private const int KC = 256;
    private const int MC = 96;
    private const int NC = 2048;

    [ThreadStatic]
    private static float[]? packA;

    [ThreadStatic]
    private static float[]? packB;

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    // a, b, c: the caller's pinned storage; c is updated in place (beta already applied).
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc, int threads, bool wide)
    {
        var tileWidth = wide ? 32 : 16;
        long work = (long)m * n * k;
        var parts = (int)Math.Max(1, Math.Min(threads, work / 2_000_000 + 1));
        var splitColumns = n >= m;
        var units = splitColumns ? (n + tileWidth - 1) / tileWidth : (m + MR - 1) / MR;
        parts = Math.Min(parts, units);
        if (parts <= 1)
        {
            Block(transA, transB, 0, m, 0, n, k, alpha, a, lda, b, ldb, c, ldc, tileWidth);
            return;
        }
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var u0 = (int)((long)units * part / parts);
            var u1 = (int)((long)units * (part + 1) / parts);
            if (splitColumns)
            {
                Block(transA, transB, 0, m, u0 * tileWidth, Math.Min(n, u1 * tileWidth), k, alpha, (float*)pa, lda, (float*)pb, ldb, (float*)pc, ldc, tileWidth);
            }
            else
            {
                Block(transA, transB, u0 * MR, Math.Min(m, u1 * MR), 0, n, k, alpha, (float*)pa, lda, (float*)pb, ldb, (float*)pc, ldc, tileWidth);
            }
        });
    }

    // C[r0..r1, c0..c1] += alpha·op(A)[r0..r1, :]·op(B)[:, c0..c1].
    private static void Block(bool transA, bool transB, int r0, int r1, int c0, int c1, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc, int tileWidth)
    {
        var bufA = packA ??= new float[MC * KC];
        var bufB = packB ??= new float[KC * NC];
        fixed (float* ap = bufA)
        fixed (float* bp = bufB)
        {
            for (var jc = c0; jc < c1; jc += NC)
            {
                var nc = Math.Min(NC, c1 - jc);
                for (var pc = 0; pc < k; pc += KC)
                {
                    var kc = Math.Min(KC, k - pc);
                    PackB(transB, b, ldb, pc, kc, jc, nc, bp, tileWidth);
                    for (var ic = r0; ic < r1; ic += MC)
                    {
                        var mc = Math.Min(MC, r1 - ic);
                        PackA(transA, a, lda, ic, mc, pc, kc, alpha, ap);
                        for (var jr = 0; jr < nc; jr += tileWidth)
                        {
                            for (var ir = 0; ir < mc; ir += MR)
                            {
                                var tile = c + (long)(ic + ir) * ldc + jc + jr;
                                if (tileWidth == 32)
                                {
                                    Kernel512(kc, ap + ir * kc, bp + jr * kc, tile, ldc, Math.Min(MR, mc - ir), Math.Min(tileWidth, nc - jr));
                                }
                                else
                                {
                                    Kernel(kc, ap + ir * kc, bp + jr * kc, tile, ldc, Math.Min(MR, mc - ir), Math.Min(tileWidth, nc - jr));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // dest[sliver s][p][0..NR) = op(B)[pc + p, jc + s·NR + j], zero past column nc.
    private static void PackB(bool trans, float* b, int ldb, int pc, int kc, int jc, int nc, float* dest, int tileWidth)
    {
        for (var s = 0; s < nc; s += tileWidth)
        {
            var width = Math.Min(tileWidth, nc - s);
            var sliver = dest + s * kc;
            if (trans)
            {
                // op(B) = Bᵀ: each column of the sliver is a contiguous run of a row of B, so read
                // rows and scatter into the (small, cache-resident) sliver.
                for (var j = 0; j < width; j++)
                {
                    var src = b + (long)(jc + s + j) * ldb + pc;
                    for (var p = 0; p < kc; p++)
                    {
                        sliver[p * tileWidth + j] = src[p];
                    }
                }
                for (var p = 0; p < kc && width < tileWidth; p++)
                {
                    new Span<float>(sliver + p * tileWidth + width, tileWidth - width).Clear();
                }
                continue;
            }
            for (var p = 0; p < kc; p++)
            {
                var d = sliver + p * tileWidth;
                var src = b + (long)(pc + p) * ldb + jc + s;
                new ReadOnlySpan<float>(src, width).CopyTo(new Span<float>(d, width));
                if (width < tileWidth)
                {
                    new Span<float>(d + width, tileWidth - width).Clear();
                }
            }
        }
    }

    // dest[sliver s][p][0..MR) = alpha·op(A)[ic + s·MR + i, pc + p], zero past row mc.
    private static void PackA(bool trans, float* a, int lda, int ic, int mc, int pc, int kc, float alpha, float* dest)
    {
        for (var s = 0; s < mc; s += MR)
        {
            var height = Math.Min(MR, mc - s);
            var d = dest + s * kc;
            for (var p = 0; p < kc; p++, d += MR)
            {
                for (var i = 0; i < height; i++)
                {
                    var row = ic + s + i;
                    d[i] = alpha * (trans ? a[(long)(pc + p) * lda + row] : a[(long)row * lda + pc + p]);
                }
                for (var i = height; i < MR; i++)
                {
                    d[i] = 0f;
                }
            }
        }
    }

    // C[0..mr, 0..nr] += Ap (MR×kc sliver) · Bp (kc×16 sliver), NR = 16.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, ap += MR, bp += 16)
        {
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 8);
            var x = Vector256.Create(ap[0]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(ap[1]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(ap[2]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(ap[3]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            x = Vector256.Create(ap[4]);
            c40 = Vector256.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
            x = Vector256.Create(ap[5]);
            c50 = Vector256.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
        }
        if (mr == MR && nr == 16)
        {
            Add(c, c00, c01);
            Add(c + ldc, c10, c11);
            Add(c + 2 * ldc, c20, c21);
            Add(c + 3 * ldc, c30, c31);
            Add(c + 4 * ldc, c40, c41);
            Add(c + 5 * ldc, c50, c51);
            return;
        }
        var tile = stackalloc float[MR * 16];
        Vector256.Store(c00, tile); Vector256.Store(c01, tile + 8);
        Vector256.Store(c10, tile + 16); Vector256.Store(c11, tile + 24);
        Vector256.Store(c20, tile + 32); Vector256.Store(c21, tile + 40);
        Vector256.Store(c30, tile + 48); Vector256.Store(c31, tile + 56);
        Vector256.Store(c40, tile + 64); Vector256.Store(c41, tile + 72);
        Vector256.Store(c50, tile + 80); Vector256.Store(c51, tile + 88);
        for (var i = 0; i < mr; i++)
        {
            for (var j = 0; j < nr; j++)
            {
                c[(long)i * ldc + j] += tile[i * 16 + j];
            }
        }
    }

    // The same with two Vector512 per row (C[0..mr, 0..nr] += Ap · Bp, NR = 32).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, ap += MR, bp += 32)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var x = Vector512.Create(ap[0]);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            x = Vector512.Create(ap[1]);
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            x = Vector512.Create(ap[2]);
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            x = Vector512.Create(ap[3]);
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            x = Vector512.Create(ap[4]);
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            x = Vector512.Create(ap[5]);
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
        }
        if (mr == MR && nr == 32)
        {
            Add(c, c00, c01);
            Add(c + ldc, c10, c11);
            Add(c + 2 * ldc, c20, c21);
            Add(c + 3 * ldc, c30, c31);
            Add(c + 4 * ldc, c40, c41);
            Add(c + 5 * ldc, c50, c51);
            return;
        }
        var tile = stackalloc float[MR * 32];
        Vector512.Store(c00, tile); Vector512.Store(c01, tile + 16);
        Vector512.Store(c10, tile + 32); Vector512.Store(c11, tile + 48);
        Vector512.Store(c20, tile + 64); Vector512.Store(c21, tile + 80);
        Vector512.Store(c30, tile + 96); Vector512.Store(c31, tile + 112);
        Vector512.Store(c40, tile + 128); Vector512.Store(c41, tile + 144);
        Vector512.Store(c50, tile + 160); Vector512.Store(c51, tile + 176);
        for (var i = 0; i < mr; i++)
        {
            for (var j = 0; j < nr; j++)
            {
                c[(long)i * ldc + j] += tile[i * 32 + j];
            }
        }
    }

    private static void Add(float* c, Vector512<float> lo, Vector512<float> hi)
    {
        Vector512.Store(Vector512.Load(c) + lo, c);
        Vector512.Store(Vector512.Load(c + 16) + hi, c + 16);
    }

    private static void Add(float* c, Vector256<float> lo, Vector256<float> hi)
    {
        Vector256.Store(Vector256.Load(c) + lo, c);
        Vector256.Store(Vector256.Load(c + 8) + hi, c + 8);
    }
}
