namespace Obscura.Data;

/// <summary>Settings of <see cref="Augmenter"/>.</summary>
/// <param name="Multiplicity">K, views per example; 1 means no augmentation (each view is an exact copy).</param>
/// <param name="Padding">Pixels padded on every side before the random crop back to H×W (4 for 32×32 CIFAR; 2 or 4 for 28×28).</param>
/// <param name="PaddingMode">How the border is filled.</param>
/// <param name="HorizontalFlip">Flip each view left–right with probability 1/2.</param>
public sealed record AugmentationOptions(int Multiplicity = 1, int Padding = 4, PaddingMode PaddingMode = PaddingMode.Reflect, bool HorizontalFlip = true)
{
    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 1 or padding &lt; 0.</exception>
    public void Validate()
    {
        if (Multiplicity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplicity), $"AugmentationOptions: multiplicity K = {Multiplicity}; it must be at least 1 (1 = no augmentation).");
        }
        if (Padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Padding), $"AugmentationOptions: padding {Padding} must not be negative.");
        }
    }
}
