namespace Obscura.Training.Tests;

public class PredictorTests
{
    [Fact]
    public void Softmax_OfLargeLogits_IsFiniteAndPicksTheLargest()
    {
        var p = Predictor.Softmax([1000f, 0f, -1000f, 999f]);
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1 / (1 + MathF.Exp(-1)), p[0], 5);
        Assert.Equal(1 / (1 + MathF.Exp(1)), p[3], 5);
        Assert.Equal(1f, p.Sum(), 5);
    }
}
