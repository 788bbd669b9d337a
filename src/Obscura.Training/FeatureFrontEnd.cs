using Obscura.Data;
using Obscura.Nn.Scattering;

namespace Obscura.Training;

/// <summary>
/// Fixed, data-independent feature extractors applied to a dataset before training (no learned
/// parameters, no privacy cost): for pixel models, optionally each image standardised by its own
/// statistics (<see cref="PerImageStandardisation"/>); the ScatterNet front end of the scatter-* models, computed once
/// per dataset and cached on disk (keyed by a hash of the pixels and the settings); for
/// scatter-whitened-linear, then a log compression of each coefficient, per-example GroupNorm and a fixed whitening estimated from synthetic
/// images (<see cref="ScatterWhitening"/>); for scatter-multiscale-linear, the same over the J = 2 and J = 1
/// scatterings side by side (<see cref="ScatterScales"/>).
/// </summary>
public static class FeatureFrontEnd
{
    /// <summary>True when <paramref name="model"/> trains on ScatterNet features instead of pixels.</summary>
    public static bool UsesScatter(string model) => model.StartsWith("scatter-", StringComparison.Ordinal);

    /// <summary>True when <paramref name="model"/> trains on normalised ScatterNet features through a fixed map.</summary>
    public static bool UsesWhitening(string model) => model is "scatter-whitened-linear" or "scatter-multiscale-linear";

    /// <summary>The scattering scales J a whitened model reads, in the order of its features.</summary>
    public static int[] ScalesOf(string model) => model == "scatter-multiscale-linear" ? [2, 1] : [2];

    private static readonly Dictionary<(string, int, int, int), ScatterWhitening> Maps = [];

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
        return UsesWhitening(model)
            ? [new ScatterScales(imageShape[0], imageShape[1], imageShape[2], ScalesOf(model)).FeatureLength, 1, 1]
            : new ScatterNet(imageShape[0], imageShape[1], imageShape[2]).OutputShape;
    }

    /// <summary>
    /// What the model of a run with <paramref name="config"/> sees of <paramref name="images"/>
    /// (pixels as the data loader scaled them): the images themselves, standardised per image when
    /// the run says so, or their scattering features.
    /// </summary>
    /// <param name="cache">
    /// False computes the features without reading or writing the cache: for a few extra images
    /// (the canaries) that would otherwise leave a near-copy of a whole dataset's features on disk.
    /// </param>
    /// <exception cref="ArgumentException">Per-image standardisation asked of a scatter model, whose features are normalised per example already.</exception>
    public static ImageDataset Apply(TrainConfig config, ImageDataset images, Action<string>? log = null, bool cache = true)
    {
        var model = config.Model;
        if (config.PerImageStandardisation && UsesScatter(model))
        {
            throw new ArgumentException($"Per-image standardisation: {model} reads pixels in [0, 1] through the ScatterNet front end and normalises its features per example; it takes no pixel standardisation.");
        }
        if (!UsesScatter(model) || images.Count == 0)
        {
            return config.PerImageStandardisation && images.Count > 0 ? PerImageStandardisation.Apply(images) : images;
        }
        if (UsesWhitening(model))
        {
            var scales = new ScatterScales(images.Channels, images.Height, images.Width, ScalesOf(model));
            var pixels = images.Pixels.ToArray();
            var raw = scales.Nets.Select(scale => Scatter(images, pixels, scale, cache, log)).ToArray();
            var whitening = MapFor(model, scales, log);
            var whitened = whitening.Apply(scales.Normalise(raw, images.Count), images.Count);
            return new ImageDataset(images.Name + "/scatter-whitened", whitened, images.Labels.ToArray(), whitening.Length, 1, 1,
                images.ClassCount, images.ClassNames);
        }
        var net = new ScatterNet(images.Channels, images.Height, images.Width);
        var shape = net.OutputShape;
        return new ImageDataset(images.Name + "/scatter", Scatter(images, images.Pixels.ToArray(), net, cache, log), images.Labels.ToArray(), shape[0], shape[1], shape[2],
            images.ClassCount, images.ClassNames);
    }

    // The raw scattering coefficients [count, net.FeatureLength] of every image (pixels: images' own, copied once), from the cache when allowed.
    private static float[] Scatter(ImageDataset images, float[] pixels, ScatterNet net, bool cache, Action<string>? log)
    {
        if (cache)
        {
            return ScatterCache.GetOrCompute(pixels, images.Count, images.Channels, images.Height, images.Width,
                ScatterCache.DefaultDirectory(), log, net.J, net.L);
        }
        var features = new float[checked(images.Count * net.FeatureLength)];
        net.Transform(pixels, images.Count, features);
        return features;
    }

    // Estimated once per model, image shape and process (about ten seconds for scatter-whitened-linear
    // on 28×28, twenty for scatter-multiscale-linear), then reused for the training, evaluation and test sets.
    private static ScatterWhitening MapFor(string model, ScatterScales scales, Action<string>? log)
    {
        var (channels, height, width) = (scales.Nets[0].Channels, scales.Nets[0].Height, scales.Nets[0].Width);
        lock (Maps)
        {
            if (!Maps.TryGetValue((model, channels, height, width), out var map))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                map = ScatterWhitening.ForImages(scales);
                log?.Invoke($"whitening: {map.Length:N0} features, estimated from {ScatterWhitening.SyntheticCount:N0} synthetic images in {clock.Elapsed.TotalSeconds:F1} s (no training data used)");
                Maps[(model, channels, height, width)] = map;
            }
            return map;
        }
    }
}
