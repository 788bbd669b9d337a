namespace Obscura.Nn.Scattering;

/// <summary>
/// One worker's scratch for <see cref="ScatterNet"/>: every plane has room for the full padded grid
/// (H_p·W_p floats), so the same buffers serve every resolution.
/// </summary>
internal sealed class ScatterWorkspace
{
    public ScatterWorkspace(int paddedHeight, int paddedWidth, int outputHeight)
    {
        var size = paddedHeight * paddedWidth;
        Padded = new float[size];
        SpectrumRe = new float[size];
        SpectrumIm = new float[size];
        ModulusSpectrumRe = new float[size];
        ModulusSpectrumIm = new float[size];
        ARe = new float[size];
        AIm = new float[size];
        BRe = new float[size];
        BIm = new float[size];
        WorkRe = new float[size];
        WorkIm = new float[size];
        Modulus1 = new float[size];
        Modulus2 = new float[size];
        LowPassRows = new float[outputHeight * paddedWidth];
    }

    /// <summary>Reflect-padded channel: [H_p, W_p].</summary>
    public float[] Padded { get; }

    /// <summary>Its transposed spectrum: [W_p, H_p].</summary>
    public float[] SpectrumRe { get; }
    public float[] SpectrumIm { get; }

    /// <summary>Spectrum of the current first-order modulus |x ⋆ ψ_{j1}|: [W_p/2^j1, H_p/2^j1].</summary>
    public float[] ModulusSpectrumRe { get; }
    public float[] ModulusSpectrumIm { get; }

    public float[] ARe { get; }
    public float[] AIm { get; }
    public float[] BRe { get; }
    public float[] BIm { get; }
    public float[] WorkRe { get; }
    public float[] WorkIm { get; }

    /// <summary>First- and second-order moduli in space: [H_r, W_r].</summary>
    public float[] Modulus1 { get; }
    public float[] Modulus2 { get; }

    /// <summary>Low-pass intermediate: [OutputHeight, W_r].</summary>
    public float[] LowPassRows { get; }
}
