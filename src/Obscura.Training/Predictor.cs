using Obscura.Data;
using Obscura.Tensors;
using Obscura.Training.Reports;

namespace Obscura.Training;

/// <summary>
/// Classifies new images with a saved run's model, through the preprocessing its training used
/// (pixel scaling, the ScatterNet front end and whitening for scatter models). Prediction is
/// post-processing of the released weights: it costs no privacy.
/// </summary>
public static class Predictor
{
    private const int Chunk = 256; // images per forward pass

    /// <summary>
    /// Probabilities for each image, given as planar bytes [channels, height, width] named by
    /// <c>Source</c> (for messages). The images must have the size of the run's training images,
    /// unless the run resized those (<c>--image-size</c>), in which case these are resized too; a
    /// colour image whose three planes are equal counts as grey, and a grey image is repeated over
    /// the planes of a colour model.
    /// </summary>
    /// <exception cref="InvalidDataException">An image does not fit the model; the message names it.</exception>
    public static IReadOnlyList<Prediction> Predict(RunFolder run, IReadOnlyList<(string Source, byte[] Pixels, int Channels, int Height, int Width)> images)
    {
        var config = run.LoadConfig();
        var data = run.LoadDataDescription();
        var (channels, height, width) = (data.ItemShape[0], data.ItemShape[1], data.ItemShape[2]);
        var plane = height * width;
        var bytes = new byte[images.Count * channels * plane];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (config.ImageSize is not null && (image.Height, image.Width) != (height, width))
            {
                // The run resized its training images; new ones get the same treatment.
                image = image with { Pixels = ImageResize.Resize(image.Pixels, image.Channels, image.Height, image.Width, height, width), Height = height, Width = width };
            }
            Fit(image, channels, height, width).CopyTo(bytes.AsSpan(i * channels * plane));
        }
        var pixels = (TrainingData.NormalizationFor(config, data.Format) ?? PixelNormalization.Unit).ToFloats(bytes, channels, plane);
        var dataset = new ImageDataset("images", pixels, new int[images.Count], channels, height, width, data.ClassNames.Length, data.ClassNames);
        var inputs = FeatureFrontEnd.Apply(config, dataset, cache: false);
        var model = RunAnalysis.LoadModel(run, config, inputs);
        var predictions = new List<Prediction>(images.Count);
        for (var start = 0; start < images.Count; start += Chunk)
        {
            var n = Math.Min(Chunk, images.Count - start);
            var chunk = inputs.Pixels.Slice(start * inputs.ImageLength, n * inputs.ImageLength).ToArray();
            var logits = ViewAveraging.Logits(model, Tensor.FromArray(chunk, [n, .. inputs.ItemShape]), config.AverageViews);
            for (var i = 0; i < n; i++)
            {
                predictions.Add(new Prediction(images[start + i].Source, Softmax(logits.Span.Slice(i * model.Classes, model.Classes))));
            }
        }
        return predictions;
    }

    // The image's planes as the model takes them.
    private static byte[] Fit((string Source, byte[] Pixels, int Channels, int Height, int Width) image, int channels, int height, int width)
    {
        if (image.Height != height || image.Width != width)
        {
            throw new InvalidDataException($"{image.Source}: the image is {image.Width}×{image.Height} pixels; the model takes {width}×{height}.");
        }
        var plane = height * width;
        if (image.Channels == channels)
        {
            return image.Pixels;
        }
        if (channels == 1)
        {
            return ImageFolder.IsGrey(image.Pixels, plane)
                ? image.Pixels[..plane]
                : throw new InvalidDataException($"{image.Source}: a colour image; the model takes grey images (one channel). Convert it to greyscale first.");
        }
        var repeated = new byte[channels * plane];
        for (var c = 0; c < channels; c++)
        {
            image.Pixels.AsSpan(0, plane).CopyTo(repeated.AsSpan(c * plane));
        }
        return repeated;
    }

    /// <summary>Class probabilities from logits, with the largest logit subtracted first so large logits cannot overflow to NaN.</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var shifted = new float[logits.Length];
        System.Numerics.Tensors.TensorPrimitives.Subtract(logits, System.Numerics.Tensors.TensorPrimitives.Max(logits), shifted);
        var p = new float[logits.Length];
        System.Numerics.Tensors.TensorPrimitives.SoftMax(shifted, p);
        return p;
    }
}
