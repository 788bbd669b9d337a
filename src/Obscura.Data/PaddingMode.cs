namespace Obscura.Data;

/// <summary>How <see cref="Augmenter"/> fills the border it pads before cropping.</summary>
public enum PaddingMode
{
    /// <summary>
    /// Mirror without repeating the edge (NumPy "reflect": … x2 x1 | x0 x1 x2 …). Needs padding
    /// below the image's height and width.
    /// </summary>
    Reflect,

    /// <summary>
    /// Zeros. The padding is applied to the (usually normalised) tensor, so zero is the mean colour,
    /// not black as in pipelines that pad raw pixels.
    /// </summary>
    Zero,
}
