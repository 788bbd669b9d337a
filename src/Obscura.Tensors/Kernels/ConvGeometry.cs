namespace Obscura.Tensors.Kernels;

/// <summary>
/// Sizes of a 2-d sliding window over one [C, H, W] image: kernel KH×KW, the same stride and zero
/// padding on both axes. Output size OH = (H + 2·pad − KH) / stride + 1 (floor), likewise OW.
/// Patch length <see cref="PatchLength"/> = C·KH·KW; positions per image <see cref="Positions"/> = OH·OW.
/// </summary>
public readonly record struct ConvGeometry
{
    public ConvGeometry(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding)
    {
        if (channels < 1 || height < 1 || width < 1 || kernelH < 1 || kernelW < 1 || stride < 1 || padding < 0)
        {
            throw new ArgumentException($"ConvGeometry: need positive sizes and padding ≥ 0, got C={channels}, H={height}, W={width}, kernel {kernelH}×{kernelW}, stride {stride}, padding {padding}.");
        }
        if (height + 2 * padding < kernelH || width + 2 * padding < kernelW)
        {
            throw new ArgumentException($"ConvGeometry: kernel {kernelH}×{kernelW} does not fit the padded {height}×{width} input (padding {padding}).");
        }
        Channels = channels;
        Height = height;
        Width = width;
        KernelH = kernelH;
        KernelW = kernelW;
        Stride = stride;
        Padding = padding;
        OutHeight = (height + 2 * padding - kernelH) / stride + 1;
        OutWidth = (width + 2 * padding - kernelW) / stride + 1;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int KernelH { get; }
    public int KernelW { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    /// <summary>C·H·W: values per input image.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>OH·OW: output positions per image (T in DESIGN.md §4).</summary>
    public int Positions => OutHeight * OutWidth;

    /// <summary>C·KH·KW: values per patch (d in DESIGN.md §4).</summary>
    public int PatchLength => Channels * KernelH * KernelW;

    public override string ToString() =>
        $"[{Channels}, {Height}, {Width}] kernel {KernelH}×{KernelW} stride {Stride} padding {Padding} → {OutHeight}×{OutWidth}";
}
