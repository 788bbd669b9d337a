using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Tensors.Kernels;

/// <summary>
/// im2col and its adjoint col2im for NCHW images, any kernel size, stride and zero padding.
/// Patch matrix layout ("columns"): row r = (c·KH + ki)·KW + kj of the C·KH·KW patch rows, column
/// t = oh·OW + ow of the image's positions; a batch puts image n's positions at columns
/// [n·T, (n+1)·T) of rows of length ld = N·T. So W[outC, d] · cols[d, N·T] is the whole batch's
/// convolution in one GEMM, and each image's patches are a column block (X_iᵀ in DESIGN.md §4).
/// </summary>
public static class Patches
{
    // image: [C, H, W]; cols: [C·KH·KW, ld], this image's T columns starting at cols[0].
    /// <summary>
    /// cols[r, t] = x[c, oh·s − p + ki, ow·s − p + kj] (zero outside the image), for one image.
    /// Every one of the d×T destination values is written.
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ld)
    {
        Check(image.Length, g, cols.Length, ld, "Im2Col");
        int oh = g.OutHeight, ow = g.OutWidth, h = g.Height, w = g.Width, s = g.Stride, p = g.Padding;
        // Rows of output are short (13 values for the tanh CNN's first conv), so per-row overhead
        // dominates: index by reference after the bounds were checked once above.
        ref var x0 = ref MemoryMarshal.GetReference(image);
        ref var c0 = ref MemoryMarshal.GetReference(cols);
        var r = 0;
        for (var c = 0; c < g.Channels; c++)
        {
            for (var ki = 0; ki < g.KernelH; ki++)
            {
                for (var kj = 0; kj < g.KernelW; kj++, r++)
                {
                    ref var row = ref Unsafe.Add(ref c0, (nint)r * ld);
                    var (start, end) = ValidRange(kj, p, s, w, ow);
                    for (var y = 0; y < oh; y++)
                    {
                        ref var dst = ref Unsafe.Add(ref row, y * ow);
                        var ih = y * s - p + ki;
                        if ((uint)ih >= (uint)h || start >= end)
                        {
                            MemoryMarshal.CreateSpan(ref dst, ow).Clear();
                            continue;
                        }
                        for (var x = 0; x < start; x++)
                        {
                            Unsafe.Add(ref dst, x) = 0f;
                        }
                        for (var x = end; x < ow; x++)
                        {
                            Unsafe.Add(ref dst, x) = 0f;
                        }
                        ref var src = ref Unsafe.Add(ref x0, (c * h + ih) * w + start * s - p + kj);
                        if (s == 1)
                        {
                            MemoryMarshal.CreateReadOnlySpan(ref src, end - start).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, start), end - start));
                        }
                        else
                        {
                            var first = s == 2 ? StrideTwo.Gather(ref src, (c * h + ih) * w + start * s - p + kj, image.Length, ref Unsafe.Add(ref dst, start), end - start) : 0;
                            for (int x = start + first, offset = first * s; x < end; x++, offset += s)
                            {
                                Unsafe.Add(ref dst, x) = Unsafe.Add(ref src, offset);
                            }
                        }
                    }
                }
            }
        }
    }

    // cols: [C·KH·KW, ld], this image's T columns starting at cols[0]; image: [C, H, W].
    /// <summary>
    /// The adjoint of im2col: image = 0, then image[c, ih, iw] += cols[r, t] for every
    /// patch entry that lands inside the image (entries on the padding are dropped).
    /// </summary>
    public static void Col2Im(ReadOnlySpan<float> cols, int ld, in ConvGeometry g, Span<float> image)
    {
        Check(image.Length, g, cols.Length, ld, "Col2Im");
        int oh = g.OutHeight, ow = g.OutWidth, h = g.Height, w = g.Width, s = g.Stride, p = g.Padding;
        image[..g.ImageLength].Clear();
        ref var x0 = ref MemoryMarshal.GetReference(image);
        ref var c0 = ref MemoryMarshal.GetReference(cols);
        var r = 0;
        for (var c = 0; c < g.Channels; c++)
        {
            for (var ki = 0; ki < g.KernelH; ki++)
            {
                for (var kj = 0; kj < g.KernelW; kj++, r++)
                {
                    ref var row = ref Unsafe.Add(ref c0, (nint)r * ld);
                    var (start, end) = ValidRange(kj, p, s, w, ow);
                    if (start >= end)
                    {
                        continue;
                    }
                    for (var y = 0; y < oh; y++)
                    {
                        var ih = y * s - p + ki;
                        if ((uint)ih >= (uint)h)
                        {
                            continue;
                        }
                        ref var src = ref Unsafe.Add(ref row, y * ow + start);
                        ref var dst = ref Unsafe.Add(ref x0, (c * h + ih) * w + start * s - p + kj);
                        if (s == 1)
                        {
                            var span = MemoryMarshal.CreateSpan(ref dst, end - start);
                            TensorPrimitives.Add(span, MemoryMarshal.CreateReadOnlySpan(ref src, end - start), span);
                        }
                        else
                        {
                            var first = s == 2 ? StrideTwo.ScatterAdd(ref src, ref dst, (c * h + ih) * w + start * s - p + kj, g.ImageLength, end - start) : 0;
                            for (int x = first, offset = first * s; x < end - start; x++, offset += s)
                            {
                                Unsafe.Add(ref dst, offset) += Unsafe.Add(ref src, x);
                            }
                        }
                    }
                }
            }
        }
    }

    // x: [N, C, H, W] (first N·C·H·W values); cols: [C·KH·KW, N·T].
    /// <summary>im2col of a batch, images split across <see cref="BatchParallel.Threads"/>.</summary>
    public static void Im2Col(float[] x, int batch, ConvGeometry g, float[] cols)
    {
        var ld = batch * g.Positions;
        CheckBatch(x.Length, batch, g, cols.Length, "Im2Col");
        BatchParallel.For(batch, (long)g.PatchLength * g.Positions, (start, end) =>
        {
            for (var n = start; n < end; n++)
            {
                Im2Col(x.AsSpan(n * g.ImageLength, g.ImageLength), g, cols.AsSpan(n * g.Positions), ld);
            }
        });
    }

    // cols: [C·KH·KW, N·T]; dx: [N, C, H, W] (overwritten).
    /// <summary>col2im of a batch, images split across <see cref="BatchParallel.Threads"/>.</summary>
    public static void Col2Im(float[] cols, int batch, ConvGeometry g, float[] dx)
    {
        var ld = batch * g.Positions;
        CheckBatch(dx.Length, batch, g, cols.Length, "Col2Im");
        BatchParallel.For(batch, (long)g.PatchLength * g.Positions, (start, end) =>
        {
            for (var n = start; n < end; n++)
            {
                Col2Im(cols.AsSpan(n * g.Positions), ld, g, dx.AsSpan(n * g.ImageLength, g.ImageLength));
            }
        });
    }

    // Output columns x in [start, end) read input column x·s − p + kj inside [0, w).
    private static (int Start, int End) ValidRange(int kj, int p, int s, int w, int ow) =>
        (Math.Max(0, CeilDiv(p - kj, s)), Math.Min(ow, CeilDiv(w + p - kj, s)));

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    private static void Check(int imageLength, in ConvGeometry g, int colsLength, int ld, string op)
    {
        if (imageLength < g.ImageLength)
        {
            throw new ArgumentException($"Patches.{op}: image span holds {imageLength} values, {g} needs {g.ImageLength}.");
        }
        if (ld < g.Positions || (long)(g.PatchLength - 1) * ld + g.Positions > colsLength)
        {
            throw new ArgumentException($"Patches.{op}: columns span of {colsLength} values with ld {ld} cannot hold [{g.PatchLength}, {g.Positions}] for {g}.");
        }
    }

    private static void CheckBatch(int imagesLength, int batch, in ConvGeometry g, int colsLength, string op)
    {
        if (batch < 0 || imagesLength < (long)batch * g.ImageLength || colsLength < (long)batch * g.Positions * g.PatchLength)
        {
            throw new ArgumentException($"Patches.{op}: batch of {batch} images {g} needs {(long)batch * g.ImageLength} image values and {(long)batch * g.Positions * g.PatchLength} column values, got {imagesLength} and {colsLength}.");
        }
    }
}
