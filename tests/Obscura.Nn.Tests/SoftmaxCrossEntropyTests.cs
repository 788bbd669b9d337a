using Obscura.Nn.Loss;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Backward_PerRowWeights_MatchesCentralDifferencesInDouble()
    {
        var rng = new Random(40);
        const int n = 5, classes = 4;
        var logits = TestData.Random(rng, n, classes);
        TensorScale(logits, 3f);
        int[] labels = [0, 3, 1, 1, 2];
        float[] weights = [0.2f, 1f, 0.5f, 0.25f, 1f / 3];
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(logits, labels, new float[n]);
        var analytic = loss.Backward(weights).Clone().Span;

        // Rows are independent, so ∂(Σ_r w_r ℓ_r)/∂z_rk = w_r ∂ℓ_r/∂z_rk, with ℓ_r read as the
        // double mean of a one-row batch. Step 2⁻¹⁰ keeps z ± h exact in float32.
        const float h = 1f / 1024;
        var probe = new SoftmaxCrossEntropy();
        for (var r = 0; r < n; r++)
        {
            var row = PerExampleOracle.Slice(logits, r, 1);
            for (var k = 0; k < classes; k++)
            {
                var saved = row.Span[k];
                row.Span[k] = saved + h;
                var plus = probe.Forward(row, [labels[r]], new float[1]);
                row.Span[k] = saved - h;
                var minus = probe.Forward(row, [labels[r]], new float[1]);
                row.Span[k] = saved;
                var numeric = weights[r] * (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[r * classes + k]) < 1e-6, $"dz[{r}, {k}]: numeric {numeric}, analytic {analytic[r * classes + k]}.");
            }
        }
    }

    [Fact]
    public void Forward_WritesPerExampleLossesAndReturnsTheirMean()
    {
        var logits = Tensor.FromArray([0f, 0f, 2f, 0f, 1f, 3f], 2, 3);
        var losses = new float[2];
        var mean = new SoftmaxCrossEntropy().Forward(logits, [2, 0], losses);
        var expected0 = Math.Log(2 + Math.Exp(2)) - 2;
        var expected1 = Math.Log(1 + Math.E + Math.Exp(3));
        Assert.Equal(expected0, losses[0], 1e-6);
        Assert.Equal(expected1, losses[1], 1e-6);
        Assert.Equal((expected0 + expected1) / 2, mean, 1e-12);
    }

    [Fact]
    public void Forward_HugeLogits_StayFinite()
    {
        var logits = Tensor.FromArray([1000f, 0f, 1e4f, 1e4f], 2, 2);
        var losses = new float[2];
        new SoftmaxCrossEntropy().Forward(logits, [1, 0], losses);
        Assert.Equal(1000f, losses[0]);
        Assert.Equal(Math.Log(2), losses[1], 1e-6);
    }

    [Fact]
    public void Backward_UniformWeight_IsProbabilitiesMinusOneHotTimesWeight()
    {
        var logits = Tensor.FromArray([0f, 0f, 0f, 0f], 1, 4);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(logits, [2], new float[1]);
        Assert.Equal([0.125f, 0.125f, -0.375f, 0.125f], loss.Backward(0.5f).Span.ToArray());
    }

    [Fact]
    public void Forward_EmptyBatch_ReturnsZero()
    {
        Assert.Equal(0.0, new SoftmaxCrossEntropy().Forward(new Tensor(0, 10), [], []));
    }

    [Fact]
    public void Forward_LabelOutOfRange_NamesRowAndLabel()
    {
        var error = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3), [0, 3], new float[2]));
        Assert.Contains("label 3 of row 1", error.Message);
    }

    [Fact]
    public void AccuracyHelpers_CountArgmaxMatches()
    {
        var logits = Tensor.FromArray([0.1f, 0.9f, 2f, -1f, 0.5f, 0.5f], 3, 2);
        var predicted = new int[3];
        SoftmaxCrossEntropy.Predict(logits, predicted);
        Assert.Equal([1, 0, 0], predicted);
        Assert.Equal(2, SoftmaxCrossEntropy.CountCorrect(logits, [1, 0, 1]));
        Assert.Equal(2.0 / 3, SoftmaxCrossEntropy.Accuracy(logits, [1, 0, 1]), 1e-12);
    }

    private static void TensorScale(Tensor t, float factor)
    {
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] *= factor;
        }
    }
}
