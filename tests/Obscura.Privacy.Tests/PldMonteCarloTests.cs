using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class PldMonteCarloTests
{
    [Theory]
    [InlineData(0.2, 1.0, 10L, 1.0)]
    [InlineData(0.05, 0.8, 30L, 1.5)]
    public void ComposedDelta_AgreesWithSeededMonteCarloOfThePrivacyLossSum(double q, double sigma, long steps, double epsilon)
    {
        // δ(ε) = E_{x∼P^T}[(1 − e^{ε − Σ_t L(x_t)})₊] for each relation (the definition of the
        // hockey-stick divergence via the privacy loss), estimated by plain Monte Carlo with a
        // fixed seed: a method sharing nothing with the library's grid, FFT or tail handling.
        const int samples = 200_000;
        var random = new Random(20240611);
        double worst = 0, worstError = 0;
        foreach (var remove in new[] { true, false })
        {
            double sum = 0, sumSquares = 0;
            for (var s = 0; s < samples; s++)
            {
                double loss = 0;
                for (var t = 0; t < steps; t++)
                {
                    var shifted = remove && random.NextDouble() < q;
                    var x = (shifted ? 1 : 0) + sigma * Gaussian(random);
                    var l = Math.Log(1 - q + q * Math.Exp((2 * x - 1) / (2 * sigma * sigma)));
                    loss += remove ? l : -l;
                }
                var value = Math.Max(0, 1 - Math.Exp(epsilon - loss));
                sum += value;
                sumSquares += value * value;
            }
            var mean = sum / samples;
            var standardError = Math.Sqrt((sumSquares / samples - mean * mean) / samples);
            if (mean > worst)
            {
                (worst, worstError) = (mean, standardError);
            }
        }

        var pld = new PldAccountant().GetDelta(DpEvent.PoissonSampledGaussian(q, sigma, steps), epsilon).Delta;
        Assert.True(worst > 1e-3, "the configuration should give a δ Monte Carlo can resolve");
        Assert.InRange(pld, worst - 4 * worstError, worst + 4 * worstError);
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
