namespace Obscura.Nn;

/// <summary>
/// Per-thread, grow-only scratch buffers for values that live only inside one call (the patch
/// gradient before col2im, scaled output gradients, Gram matrices). Layers run one at a time, so
/// all conv layers of a model share these instead of each keeping its own: for a WideResNet that is
/// hundreds of megabytes not held per layer. Each <see cref="Slot"/> is used by one purpose only,
/// so a call may hold several slots at once.
/// </summary>
internal static class Scratch
{
    internal enum Slot
    {
        ConvOutput,
        PatchGrad,
        ScaledGrad,
        GramInputs,
        GramGrads,
        ExampleGrad,
        StandardisedGrad,
        PatchSums,
        Count,
    }

    [ThreadStatic]
    private static float[][]? buffers;

    /// <summary>A buffer of at least <paramref name="length"/> floats, contents unspecified.</summary>
    public static float[] Get(Slot slot, int length)
    {
        buffers ??= new float[(int)Slot.Count][];
        var buffer = buffers[(int)slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[Math.Max(length, 1)];
            buffers[(int)slot] = buffer;
        }
        return buffer;
    }
}
