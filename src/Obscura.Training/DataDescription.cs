using Obscura.Data;

namespace Obscura.Training;

/// <summary>
/// What a run's model takes as input, saved as data.json in the run folder so that new images can
/// be prepared the way its training images were (<see cref="Predictor"/>) without the data folder.
/// </summary>
/// <param name="Format">The training data's format (it decides the pixel standardisation).</param>
/// <param name="ItemShape">One image, [channels, height, width], before any front end.</param>
/// <param name="ClassNames">Class names by label.</param>
public sealed record DataDescription(DataFormat Format, int[] ItemShape, string[] ClassNames)
{
    /// <summary>Runs saved before data.json existed were all trained on Fashion-MNIST.</summary>
    public static DataDescription FashionMnistDefault { get; } = new(DataFormat.FashionMnist, [1, 28, 28], [.. FashionMnist.ClassNames]);

    public static DataDescription Of(DataFormat format, ImageDataset images) => new(
        format, images.ItemShape,
        images.ClassNames?.ToArray() ?? Enumerable.Range(0, images.ClassCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
}
