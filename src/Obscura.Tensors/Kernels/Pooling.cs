using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Tensors.Kernels;

/// <summary>
/// Max, average and global-average pooling over P = N·C independent planes, no padding.
/// The window (KH×KW) and the stride may differ (2×2 stride 1 overlaps). <c>g</c> describes one
/// plane (<see cref="ConvGeometry.Channels"/> = 1, padding 0). Work is split over planes.
/// </summary>
public static class Pooling
{
    // x: [P, H, W]; y: [P, OH, OW]; argmax: [P, OH, OW] (index h·W + w within the plane).
    /// <summary>y = window maximum; argmax keeps the first position of the maximum for backward.</summary>
    public static void MaxForward(float[] x, int planes, ConvGeometry g, float[] y, int[] argmax)
    {
        Check(g, "MaxForward");
        int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, kh = g.KernelH, kw = g.KernelW;
        Need(x.Length, planes * h * w, y.Length, planes * oh * ow, "MaxForward");
        Need(argmax.Length, planes * oh * ow, argmax.Length, 0, "MaxForward");
        BatchParallel.For(planes, (long)oh * ow * kh * kw, (start, end) =>
        {
            for (var pl = start; pl < end; pl++)
            {
                MaxPlane(x.AsSpan(pl * h * w, h * w), g, y.AsSpan(pl * oh * ow, oh * ow), argmax.AsSpan(pl * oh * ow, oh * ow));
            }
        });
    }

    // src: [H, W]; dst, arg: [OH, OW]. Strict '>' in row-major window order: ties keep the first.
    private static void MaxPlane(ReadOnlySpan<float> src, in ConvGeometry g, Span<float> dst, Span<int> arg)
    {
        int w = g.Width, oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, kh = g.KernelH, kw = g.KernelW;
        ref var x0 = ref MemoryMarshal.GetReference(src);
        for (var r = 0; r < oh; r++)
        {
            var c = 0;
            if (s == 1 && ow >= Vector128<float>.Count && Vector128.IsHardwareAccelerated)
            {
                // Four neighbouring windows at once; the last group is shifted left to end at OW
                // (recomputing a few windows, with the same result) so no scalar tail is left.
                // Every load stays inside the plane because c + 3 ≤ OW − 1 = W − KW.
                var lanes = Vector128.Create(0, 1, 2, 3);
                for (var next = 0; next < ow; next += Vector128<float>.Count)
                {
                    c = Math.Min(next, ow - Vector128<float>.Count);
                    var b0 = r * w + c;
                    var best = Vector128.LoadUnsafe(ref x0, (nuint)b0);
                    var index = Vector128.Create(b0) + lanes;
                    for (var i = 0; i < kh; i++)
                    {
                        for (var j = i == 0 ? 1 : 0; j < kw; j++)
                        {
                            var off = i * w + j;
                            var v = Vector128.LoadUnsafe(ref x0, (nuint)(b0 + off));
                            var greater = Vector128.GreaterThan(v, best);
                            best = Vector128.ConditionalSelect(greater, v, best);
                            index = Vector128.ConditionalSelect(greater.AsInt32(), Vector128.Create(b0 + off) + lanes, index);
                        }
                    }
                    best.StoreUnsafe(ref MemoryMarshal.GetReference(dst), (nuint)(r * ow + c));
                    index.StoreUnsafe(ref MemoryMarshal.GetReference(arg), (nuint)(r * ow + c));
                }
                c = ow;
            }
            for (; c < ow; c++)
            {
                var b0 = r * s * w + c * s;
                var best = b0;
                var value = Unsafe.Add(ref x0, b0);
                for (var i = 0; i < kh; i++)
                {
                    var row = b0 + i * w;
                    for (var j = 0; j < kw; j++)
                    {
                        var v = Unsafe.Add(ref x0, row + j);
                        var greater = v > value;
                        best = greater ? row + j : best;
                        value = greater ? v : value;
                    }
                }
                dst[r * ow + c] = value;
                arg[r * ow + c] = best;
            }
        }
    }

    // dy: [P, OH, OW]; argmax: from MaxForward; dx: [P, H, W] (overwritten).
    /// <summary>dx = 0, then dx[argmax[t]] += dy[t] (overlapping windows accumulate).</summary>
    public static void MaxBackward(float[] dy, int[] argmax, int planes, ConvGeometry g, float[] dx)
    {
        Check(g, "MaxBackward");
        int hw = g.Height * g.Width, t = g.Positions;
        Need(dx.Length, planes * hw, dy.Length, planes * t, "MaxBackward");
        BatchParallel.For(planes, hw + t, (start, end) =>
        {
            for (var pl = start; pl < end; pl++)
            {
                var dst = dx.AsSpan(pl * hw, hw);
                dst.Clear();
                var src = dy.AsSpan(pl * t, t);
                var arg = argmax.AsSpan(pl * t, t);
                for (var i = 0; i < t; i++)
                {
                    dst[arg[i]] += src[i];
                }
            }
        });
    }

    // x: [P, H, W]; y: [P, OH, OW].
    /// <summary>y = window mean (every window lies inside the plane: no padding).</summary>
    public static void AvgForward(float[] x, int planes, ConvGeometry g, float[] y)
    {
        Check(g, "AvgForward");
        int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, kh = g.KernelH, kw = g.KernelW;
        Need(x.Length, planes * h * w, y.Length, planes * oh * ow, "AvgForward");
        var scale = 1f / (kh * kw);
        BatchParallel.For(planes, (long)oh * ow * kh * kw, (start, end) =>
        {
            for (var pl = start; pl < end; pl++)
            {
                var src = x.AsSpan(pl * h * w, h * w);
                var dst = y.AsSpan(pl * oh * ow, oh * ow);
                for (var r = 0; r < oh; r++)
                {
                    for (var c = 0; c < ow; c++)
                    {
                        var sum = 0f;
                        for (var i = 0; i < kh; i++)
                        {
                            sum += TensorPrimitives.Sum(src.Slice((r * s + i) * w + c * s, kw));
                        }
                        dst[r * ow + c] = sum * scale;
                    }
                }
            }
        });
    }

    // dy: [P, OH, OW]; dx: [P, H, W] (overwritten).
    /// <summary>dx = 0, then every input of window t gets dy[t] / (KH·KW).</summary>
    public static void AvgBackward(float[] dy, int planes, ConvGeometry g, float[] dx)
    {
        Check(g, "AvgBackward");
        int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, kh = g.KernelH, kw = g.KernelW;
        Need(dx.Length, planes * h * w, dy.Length, planes * oh * ow, "AvgBackward");
        var scale = 1f / (kh * kw);
        BatchParallel.For(planes, (long)oh * ow * kh * kw, (start, end) =>
        {
            for (var pl = start; pl < end; pl++)
            {
                var dst = dx.AsSpan(pl * h * w, h * w);
                dst.Clear();
                var src = dy.AsSpan(pl * oh * ow, oh * ow);
                for (var r = 0; r < oh; r++)
                {
                    for (var c = 0; c < ow; c++)
                    {
                        var v = src[r * ow + c] * scale;
                        for (var i = 0; i < kh; i++)
                        {
                            var row = dst.Slice((r * s + i) * w + c * s, kw);
                            TensorPrimitives.Add(row, v, row);
                        }
                    }
                }
            }
        });
    }

    // x: [P, L]; y: [P].
    /// <summary>y[p] = mean of plane p's L values.</summary>
    public static void GlobalAvgForward(ReadOnlySpan<float> x, int planes, int planeLength, Span<float> y)
    {
        Need(x.Length, planes * planeLength, y.Length, planes, "GlobalAvgForward");
        var scale = 1f / planeLength;
        for (var pl = 0; pl < planes; pl++)
        {
            y[pl] = TensorPrimitives.Sum(x.Slice(pl * planeLength, planeLength)) * scale;
        }
    }

    // dy: [P]; dx: [P, L] (overwritten).
    /// <summary>dx[p, :] = dy[p] / L.</summary>
    public static void GlobalAvgBackward(ReadOnlySpan<float> dy, int planes, int planeLength, Span<float> dx)
    {
        Need(dx.Length, planes * planeLength, dy.Length, planes, "GlobalAvgBackward");
        var scale = 1f / planeLength;
        for (var pl = 0; pl < planes; pl++)
        {
            dx.Slice(pl * planeLength, planeLength).Fill(dy[pl] * scale);
        }
    }

    private static void Check(in ConvGeometry g, string op)
    {
        if (g.Channels != 1 || g.Padding != 0)
        {
            throw new ArgumentException($"Pooling.{op}: geometry must describe one unpadded plane, got {g}.");
        }
    }

    private static void Need(int haveA, long needA, int haveB, long needB, string op)
    {
        if (haveA < needA || haveB < needB)
        {
            throw new ArgumentException($"Pooling.{op}: buffers hold {haveA} and {haveB} values, need {needA} and {needB}.");
        }
    }
}
