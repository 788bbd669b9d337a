using Obscura.Tensors;

namespace Obscura.Training.Tests;

public class ViewAveragingTests
{
    // Two planes of 3×4 with distinct values: plane p, row y, column x holds 100p + 10y + x.
    private static float[] Planes() => Enumerable.Range(0, 2 * 3 * 4).Select(i => (float)(100 * (i / 12) + 10 * (i % 12 / 4) + i % 4)).ToArray();

    [Theory]
    [InlineData(0, 0, 0, false)]
    [InlineData(1, 1, 0, false)] // content moved down: row y shows row y − 1, the top row repeated
    [InlineData(2, -1, 0, false)]
    [InlineData(3, 0, 1, false)]
    [InlineData(4, 0, -1, false)]
    [InlineData(5, 0, 0, true)]
    public void View_ShiftsByOnePixelWithTheEdgeRepeated_OrMirrors_EachPlaneAlike(int view, int dy, int dx, bool mirror)
    {
        var source = Planes();
        var result = new float[source.Length];
        ViewAveraging.View(source, result, 2, 3, 4, view);
        for (var p = 0; p < 2; p++)
        {
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    var (sy, sx) = (Math.Clamp(y - dy, 0, 2), mirror ? 3 - x : Math.Clamp(x - dx, 0, 3));
                    Assert.Equal(100 * p + 10 * sy + sx, result[(p * 3 + y) * 4 + x]);
                }
            }
        }
    }

    [Fact]
    public void Logits_WithViews_AreTheLogOfTheProbabilitiesAveragedOverTheSixViews()
    {
        var model = Fixtures.SmallModel();
        var data = Fixtures.SeparableData(5);
        var images = data.Pixels.ToArray();
        var plain = model.Forward(Tensor.FromArray(images.ToArray(), [5, 1, 12, 12])).Span.ToArray();
        Assert.Equal(plain, ViewAveraging.Logits(model, Tensor.FromArray(images.ToArray(), [5, 1, 12, 12]), averageViews: false).Span.ToArray());

        var averaged = ViewAveraging.Logits(model, Tensor.FromArray(images.ToArray(), [5, 1, 12, 12]), averageViews: true).Span.ToArray();
        var expected = new double[5 * 3];
        for (var v = 0; v < ViewAveraging.ViewCount; v++)
        {
            var view = new float[images.Length];
            ViewAveraging.View(images, view, 5, 12, 12, v);
            var logits = model.Forward(Tensor.FromArray(view, [5, 1, 12, 12])).Span.ToArray();
            for (var i = 0; i < 5; i++)
            {
                var row = logits.Skip(i * 3).Take(3).Select(l => Math.Exp(l)).ToArray();
                for (var c = 0; c < 3; c++)
                {
                    expected[i * 3 + c] += row[c] / row.Sum() / ViewAveraging.ViewCount;
                }
            }
        }
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], Math.Exp(averaged[j]), 1e-6);
        }
        // Negative control: the views do change what this model says, so the average is not the single view's.
        Assert.Contains(Enumerable.Range(0, plain.Length), j => Math.Abs(Math.Exp(averaged[j]) - Softmax(plain, j)) > 1e-4);
    }

    [Fact]
    public void FinalEvaluation_AveragesViewsOnlyWhenTheRunSaysSo()
    {
        var model = Fixtures.SmallModel();
        var data = Fixtures.SeparableData(60);
        var evaluator = new Evaluator(chunkSize: 16); // chunks of 16 views of 60 images: the last one partial
        var plain = evaluator.Evaluate(model, data);
        var averaged = evaluator.Evaluate(model, data, averageViews: true);

        var logits = ViewAveraging.Logits(model, Tensor.FromArray(data.Pixels.ToArray(), [60, 1, 12, 12]), averageViews: true).Span.ToArray();
        var rows = Enumerable.Range(0, 60).Select(i => logits.Skip(3 * i).Take(3).ToArray()).ToArray();
        var correct = Enumerable.Range(0, 60).Count(i => Array.IndexOf(rows[i], rows[i].Max()) == data.Label(i));
        Assert.Equal(correct / 60.0, averaged.Accuracy, 12);
        // The loss of the averaged prediction: −log of its probability of the true class (the rows are log-probabilities).
        Assert.Equal(Enumerable.Range(0, 60).Average(i => -rows[i][data.Label(i)]), averaged.MeanLoss, 4);
        Assert.NotEqual(plain.MeanLoss, averaged.MeanLoss, 4);
    }

    private static double Softmax(float[] logits, int j)
    {
        var row = logits.Skip(j / 3 * 3).Take(3).Select(l => Math.Exp(l)).ToArray();
        return row[j % 3] / row.Sum();
    }
}
