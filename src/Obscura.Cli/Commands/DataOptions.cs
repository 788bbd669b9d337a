using System.CommandLine;
using System.Globalization;
using Obscura.Data;
using Obscura.Training;

namespace Obscura.Cli.Commands;

/// <summary>
/// Which images a run reads and how they are prepared: the options <c>train</c> and <c>sweep</c>
/// share, spelled, documented and checked once.
/// </summary>
public sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data folder: Fashion-MNIST IDX files, CIFAR-10 binary batches, NumPy x_train.npy/y_train.npy/x_test.npy/y_test.npy, or your own PNG/JPEG images as train/CLASS/* and test/CLASS/*.",
        DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
    };

    public Option<string?> ImageSize { get; } = new("--image-size")
    {
        Description = "Resize every image of a folder of your own images to N×N pixels (N) or W×H (WxH); predict resizes new images the same way.",
    };

    public Option<string?> PixelMean { get; } = new("--pixel-mean")
    {
        Description = "Standardise pixels (in [0, 1]) with these per-channel means (one, or one per channel, comma-separated) instead of the data's defaults; they must not be computed from your private images. Needs --pixel-std.",
    };

    public Option<string?> PixelStd { get; } = new("--pixel-std") { Description = "Per-channel standard deviations for --pixel-mean." };

    public Option<bool?> PerImage { get; } = new("--per-image-standardisation")
    {
        Description = "Standardise each image by its own mean and std (true or false; the recipe decides when not given). Uses no other image, so it costs no privacy. Not for scatter models.",
    };

    public IEnumerable<Option> All => [Data, ImageSize, PixelMean, PixelStd, PerImage];

    /// <summary>--image-size as [height, width]: "N" (square) or "WxH", as image tools write sizes; null when not given.</summary>
    public int[]? ImageSizeOf(ParseResult parse)
    {
        if (parse.GetValue(ImageSize) is not { } text)
        {
            return null;
        }
        var parts = text.ToLowerInvariant().Replace('×', 'x').Split('x');
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        if (parts.Length is not (1 or 2) || numbers.Any(n => n < 1 || n > Png.MaxSide))
        {
            throw new UsageException($"--image-size must be N or WxH with sides from 1 to {Png.MaxSide}, got '{text}'.");
        }
        return numbers.Length == 1 ? [numbers[0], numbers[0]] : [numbers[1], numbers[0]];
    }

    /// <summary>--pixel-mean and --pixel-std: both or neither, numbers only, for models that read standardised pixels.</summary>
    public PixelNormalization? StandardisationOf(ParseResult parse, string model)
    {
        var (means, stds) = (parse.GetValue(PixelMean), parse.GetValue(PixelStd));
        if (means is null && stds is null)
        {
            return null;
        }
        if (means is null || stds is null)
        {
            var (given, missing) = means is null ? ("--pixel-std", "--pixel-mean") : ("--pixel-mean", "--pixel-std");
            throw new UsageException($"{given} needs {missing} as well: pixels are standardised as (x − mean) / std.");
        }
        if (FeatureFrontEnd.UsesScatter(model))
        {
            throw new UsageException($"--pixel-mean, --pixel-std: {model} reads pixels in [0, 1] through the ScatterNet front end and normalises its features per example, so it takes no pixel standardisation.");
        }
        var (mean, std) = (Numbers(means, "--pixel-mean", positive: false), Numbers(stds, "--pixel-std", positive: true));
        if (mean.Any(m => m is < 0 or > 1) || std.Any(s => s > 1))
        {
            // The common slip: statistics quoted for 0–255 pixel values.
            throw new UsageException($"--pixel-mean {means} --pixel-std {stds}: pixels are scaled to [0, 1] before standardising, so means lie in [0, 1] and stds in (0, 1]; divide values quoted for 0–255 pixels by 255.");
        }
        return new(mean, std);
    }

    /// <summary>--per-image-standardisation, else the recipe's choice; refused for the scatter models, which take no pixel standardisation.</summary>
    public bool PerImageOf(ParseResult parse, Recipe recipe)
    {
        var perImage = parse.GetValue(PerImage) ?? recipe.PerImageStandardisation;
        if (perImage && FeatureFrontEnd.UsesScatter(recipe.Model))
        {
            throw new UsageException($"--per-image-standardisation: {recipe.Model} reads pixels in [0, 1] through the ScatterNet front end and normalises its features per example, so it takes no pixel standardisation.");
        }
        return perImage;
    }

    private static float[] Numbers(string text, string flag, bool positive)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries)
            .Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && float.IsFinite(x) && (!positive || x > 0) ? x : float.NaN)
            .ToArray();
        if (values.Length is not (1 or 3) || values.Any(float.IsNaN))
        {
            throw new UsageException($"{flag} must be one number or three comma-separated numbers (one per colour channel){(positive ? ", each positive" : "")}, got '{text}'.");
        }
        return values;
    }
}
