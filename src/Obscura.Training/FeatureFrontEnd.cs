using Obscura.Data;
using Obscura.Nn.Scattering;

namespace Obscura.Training;

/// <summary>
/// Fixed, data-independent feature extractors applied to a dataset before training (no learned
/// parameters, no privacy cost): the ScatterNet front end of the scatter-* models, computed once
/// per dataset and cached on disk (keyed by a hash of the pixels and the settings); for
/// scatter-whitened-linear, then a log compression of each coefficient, per-example GroupNorm and a fixed whitening estimated from synthetic
/// images (<see cref="ScatterWhitening"/>); for scatter-rf-linear, the same widened by random ReLU
/// features and whitened again (<see cref="RandomFeatureWhitening"/>).
/// </summary>
public static class FeatureFrontEnd
{
    /// <summary>True when <paramref name="model"/> trains on ScatterNet features instead of pixels.</summary>
    public static bool UsesScatter(string model) => model.StartsWith("scatter-", StringComparison.Ordinal);

    /// <summary>True when <paramref name="model"/> trains on normalised ScatterNet features through a fixed map.</summary>
    public static bool UsesWhitening(string model) => model is "scatter-whitened-linear" or "scatter-rf-linear";

    private static readonly Dictionary<(string, int, int, int), IFixedFeatureMap> Maps = [];

    /// <summary>The compression scale a run of <paramref name="model"/> records: <see cref="ScatterWhitening.CompressionScale"/> for the whitened heads, else null.</summary>
    public static double? CompressionFor(string model) => UsesWhitening(model) ? ScatterWhitening.CompressionScale : null;

    /// <summary>Refuses a run whose whitened features this front end no longer computes: its weights would see other features.</summary>
    /// <exception cref="InvalidDataException">The run's features were compressed otherwise, or not at all.</exception>
    public static void RequireCurrentFeatures(TrainConfig config, string configFile)
    {
        if (config.ScatterCompression != CompressionFor(config.Model))
        {
            var trained = config.ScatterCompression is { } c ? $"compressed with c = {c:G4}" : "without the log compression of its coefficients";
            throw new InvalidDataException($"{configFile}: this {config.Model} run was trained on scattering features {trained}, which this version "
                + $"no longer computes (it compresses with c = {ScatterWhitening.CompressionScale:G4}), so its weights would be given other features. Train it again.");
        }
    }

    /// <summary>The item shape <paramref name="model"/> sees for images of <paramref name="imageShape"/> [C, H, W].</summary>
    public static int[] ModelInputShape(string model, int[] imageShape)
    {
        if (!UsesScatter(model))
        {
            return imageShape;
        }
        var scatterNet = new ScatterNet(imageShape[0], imageShape[1], imageShape[2]);
        return model switch
        {
            "scatter-whitened-linear" => [scatterNet.FeatureLength, 1, 1],
            "scatter-rf-linear" => [scatterNet.FeatureLength + RandomFeatureWhitening.DefaultRandomFeatures, 1, 1],
            _ => scatterNet.OutputShape,
        };
    }

    /// <summary>The dataset <paramref name="model"/> trains on: <paramref name="images"/> itself, or its scattering features.</summary>
    /// <param name="cache">
    /// False computes the features without reading or writing the cache: for a few extra images
    /// (the canaries) that would otherwise leave a near-copy of a whole dataset's features on disk.
    /// </param>
    public static ImageDataset Apply(string model, ImageDataset images, Action<string>? log = null, bool cache = true)
    {
        if (!UsesScatter(model) || images.Count == 0)
        {
            return images;
        }
        var net = new ScatterNet(images.Channels, images.Height, images.Width);
        float[] features;
        if (cache)
        {
            features = ScatterCache.GetOrCompute(images.Pixels.ToArray(), images.Count, images.Channels, images.Height, images.Width,
                ScatterCache.DefaultDirectory(), log);
        }
        else
        {
            features = new float[checked(images.Count * net.FeatureLength)];
            net.Transform(images.Pixels.ToArray(), images.Count, features);
        }
        var shape = net.OutputShape;
        if (UsesWhitening(model))
        {
            var whitening = MapFor(model, images.Channels, images.Height, images.Width, log);
            var whitened = whitening.Apply(ScatterWhitening.Normalise(features, images.Count, shape), images.Count);
            return new ImageDataset(images.Name + "/scatter-whitened", whitened, images.Labels.ToArray(), whitening.Length, 1, 1,
                images.ClassCount, images.ClassNames);
        }
        return new ImageDataset(images.Name + "/scatter", features, images.Labels.ToArray(), shape[0], shape[1], shape[2],
            images.ClassCount, images.ClassNames);
    }

    // Estimated once per model, image shape and process (about ten seconds for scatter-whitened-linear
    // on 28×28, a minute or two for scatter-rf-linear), then reused for the training, evaluation and test sets.
    private static IFixedFeatureMap MapFor(string model, int channels, int height, int width, Action<string>? log)
    {
        lock (Maps)
        {
            if (!Maps.TryGetValue((model, channels, height, width), out var map))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                map = model == "scatter-rf-linear"
                    ? RandomFeatureWhitening.ForImages(channels, height, width)
                    : ScatterWhitening.ForImages(channels, height, width);
                log?.Invoke($"whitening: {map.InputLength:N0} → {map.Length:N0} features, estimated from {ScatterWhitening.SyntheticCount:N0} synthetic images in {clock.Elapsed.TotalSeconds:F1} s (no training data used)");
                Maps[(model, channels, height, width)] = map;
            }
            return map;
        }
    }
}
