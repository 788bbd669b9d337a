using Obscura.Data;
using Obscura.Nn.Scattering;

namespace Obscura.Training;

/// <summary>
/// Fixed, data-independent feature extractors applied to a dataset before training (no learned
/// parameters, no privacy cost): the ScatterNet front end of the scatter-* models, computed once
/// per dataset and cached on disk (keyed by a hash of the pixels and the settings).
/// </summary>
public static class FeatureFrontEnd
{
    /// <summary>True when <paramref name="model"/> trains on ScatterNet features instead of pixels.</summary>
    public static bool UsesScatter(string model) => model.StartsWith("scatter-", StringComparison.Ordinal);

    /// <summary>The dataset <paramref name="model"/> trains on: <paramref name="images"/> itself, or its scattering features.</summary>
    public static ImageDataset Apply(string model, ImageDataset images, Action<string>? log = null)
    {
        if (!UsesScatter(model) || images.Count == 0)
        {
            return images;
        }
        var net = new ScatterNet(images.Channels, images.Height, images.Width);
        var features = ScatterCache.GetOrCompute(images.Pixels.ToArray(), images.Count, images.Channels, images.Height, images.Width,
            ScatterCache.DefaultDirectory(), log);
        var shape = net.OutputShape;
        return new ImageDataset(images.Name + "/scatter", features, images.Labels.ToArray(), shape[0], shape[1], shape[2],
            images.ClassCount, images.ClassNames);
    }
}
