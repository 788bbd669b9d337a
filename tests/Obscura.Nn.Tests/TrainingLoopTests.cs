using Obscura.Nn.Layers;
using Obscura.Nn.Loss;
using Obscura.Nn.Optimizers;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class TrainingLoopTests
{
    [Fact]
    public void LinearTanhLinearWithSgd_LinearlySeparableTwoClassProblem_ReachesFullTrainingAccuracy()
    {
        var rng = new Random(60);
        const int n = 64;
        // Points in [−1, 1]² labelled by the side of the line x₀ − 0.5 x₁ = 0.1, margin ≥ 0.1.
        var x = new Tensor(n, 2);
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            double a, b, side;
            do
            {
                a = 2 * rng.NextDouble() - 1;
                b = 2 * rng.NextDouble() - 1;
                side = a - 0.5 * b - 0.1;
            }
            while (Math.Abs(side) < 0.1);
            x.Span[2 * i] = (float)a;
            x.Span[2 * i + 1] = (float)b;
            labels[i] = side > 0 ? 1 : 0;
        }

        var model = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 2, rng)) { NeedsInputGradient = false };
        ModelValidator.Validate(model);
        var parameters = model.AllParameters().ToList();
        var sources = model.Descendants().OfType<IGradientSource>().ToList();
        var optimizer = new Sgd(parameters, learningRate: 0.5f, momentum: 0.9f);
        var loss = new SoftmaxCrossEntropy();
        var losses = new float[n];
        double first = 0, last = 0;
        for (var step = 0; step < 300; step++)
        {
            foreach (var p in parameters)
            {
                p.Grad.Clear();
            }
            var logits = model.Forward(x);
            last = loss.Forward(logits, labels, losses);
            first = step == 0 ? last : first;
            model.Backward(loss.Backward(1f / n));
            foreach (var source in sources)
            {
                source.AccumulateGradients([], 1);
            }
            optimizer.Step();
        }

        Assert.True(last < first / 4, $"loss went from {first} to {last}.");
        Assert.Equal(1.0, SoftmaxCrossEntropy.Accuracy(model.Forward(x), labels));
    }
}
