namespace Obscura.Nn.Scattering;

/// <summary>
/// One worker's scratch for <see cref="ScatterNet"/>: the padded channel and its spectrum take one
/// padded grid (H_p·W_p floats), the other planes a stack of L of them; the same buffers serve
/// every resolution.
/// </summary>
internal sealed class ScatterWorkspace
{
    public ScatterWorkspace(int paddedHeight, int paddedWidth, int stack)
    {
        var size = paddedHeight * paddedWidth;
        var stacked = stack * size;
        Padded = new float[size];
        SpectrumRe = new float[size];
        SpectrumIm = new float[size];
        ModulusSpectrumRe = new float[stacked];
        ModulusSpectrumIm = new float[stacked];
        ARe = new float[stacked];
        AIm = new float[stacked];
        BRe = new float[stacked];
        BIm = new float[stacked];
        WorkRe = new float[stacked];
        WorkIm = new float[stacked];
        Modulus1 = new float[stacked];
        Modulus2 = new float[stacked];
        LowPassRows = new float[stacked / paddedHeight];
    }

    /// <summary>Reflect-padded channel: [H_p, W_p].</summary>
    public float[] Padded { get; }

    /// <summary>Its transposed spectrum: [W_p, H_p].</summary>
    public float[] SpectrumRe { get; }
    public float[] SpectrumIm { get; }

    /// <summary>Spectra of the first-order moduli |x ⋆ ψ_{j1,θ}|, θ &lt; L: [W_p/2^j1, L, H_p/2^j1].</summary>
    public float[] ModulusSpectrumRe { get; }
    public float[] ModulusSpectrumIm { get; }

    public float[] ARe { get; }
    public float[] AIm { get; }
    public float[] BRe { get; }
    public float[] BIm { get; }
    public float[] WorkRe { get; }
    public float[] WorkIm { get; }

    /// <summary>First- and second-order moduli in space: [H_r, L, W_r].</summary>
    public float[] Modulus1 { get; }
    public float[] Modulus2 { get; }

    /// <summary>Low-pass intermediate, one output row of a stack: [L·W_r].</summary>
    public float[] LowPassRows { get; }
}
