using Obscura.Data;
using Obscura.Tensors;
using Obscura.Training.Reports;

namespace Obscura.Training;

/// <summary>One image's class probabilities, in class order.</summary>
public sealed record Prediction(string Source, float[] Probabilities)
{
    /// <summary>The most probable class.</summary>
    public int Class => Array.IndexOf(Probabilities, Probabilities.Max());
}

/// <summary>
/// Classifies new images with a saved run's model, through the preprocessing its training used
/// (pixel scaling, the ScatterNet front end and whitening for scatter models). Prediction is
/// post-processing of the released weights: it costs no privacy.
/// </summary>
public static class Predictor
{
    /// <summary>The image shape every run here is trained on (Fashion-MNIST): one grey 28×28 plane.</summary>
    public static readonly int[] ImageShape = [1, 28, 28];

    private const int Chunk = 256; // images per forward pass

    /// <summary>
    /// Probabilities for each image, given as planar bytes [channels, height, width] named by
    /// <c>Source</c> (for messages). A colour image whose three planes are equal counts as grey.
    /// </summary>
    /// <exception cref="InvalidDataException">An image is not grey 28×28; the message names it.</exception>
    public static IReadOnlyList<Prediction> Predict(RunFolder run, IReadOnlyList<(string Source, byte[] Pixels, int Channels, int Height, int Width)> images)
    {
        var config = run.LoadConfig();
        var plane = ImageShape[1] * ImageShape[2];
        var bytes = new byte[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
        {
            Grey(images[i], plane).CopyTo(bytes.AsSpan(i * plane));
        }
        var pixels = (TrainingData.NormalizationFor(config.Model) ?? PixelNormalization.Unit).ToFloats(bytes, 1, plane);
        var dataset = new ImageDataset("images", pixels, new int[images.Count], ImageShape[0], ImageShape[1], ImageShape[2], FashionMnist.ClassCount, FashionMnist.ClassNames);
        var inputs = FeatureFrontEnd.Apply(config.Model, dataset, cache: false);
        var model = RunAnalysis.LoadModel(run, config, inputs);
        var predictions = new List<Prediction>(images.Count);
        for (var start = 0; start < images.Count; start += Chunk)
        {
            var n = Math.Min(Chunk, images.Count - start);
            var chunk = inputs.Pixels.Slice(start * inputs.ImageLength, n * inputs.ImageLength).ToArray();
            var logits = model.Forward(Tensor.FromArray(chunk, [n, .. inputs.ItemShape]));
            for (var i = 0; i < n; i++)
            {
                predictions.Add(new Prediction(images[start + i].Source, Softmax(logits.Span.Slice(i * model.Classes, model.Classes))));
            }
        }
        return predictions;
    }

    private static ReadOnlySpan<byte> Grey((string Source, byte[] Pixels, int Channels, int Height, int Width) image, int plane)
    {
        if (image.Height != ImageShape[1] || image.Width != ImageShape[2])
        {
            throw new InvalidDataException($"{image.Source}: the image is {image.Width}×{image.Height} pixels; the model takes {ImageShape[2]}×{ImageShape[1]}.");
        }
        var first = image.Pixels.AsSpan(0, plane);
        for (var c = 1; c < image.Channels; c++)
        {
            if (!image.Pixels.AsSpan(c * plane, plane).SequenceEqual(first))
            {
                throw new InvalidDataException($"{image.Source}: a colour image; the model takes grey images (one channel). Convert it to greyscale first.");
            }
        }
        return first;
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var p = new float[logits.Length];
        System.Numerics.Tensors.TensorPrimitives.SoftMax(logits, p);
        return p;
    }
}
