using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class RdpAccountantTests
{
    private const double Delta = 1e-5;

    [Fact]
    public void MnistTutorial_ClassicConversionOnTutorialOrders_Gives3Point01()
    {
        // TF Privacy MNIST tutorial (tutorials/mnist_dpsgd_tutorial.py, README "Training with
        // DP-SGD"): batch 256 of 60000, σ = 1.1, 60 epochs, δ = 1e-5 → "ε = 3.01", computed with
        // the classic conversion over the orders of compute_dp_sgd_privacy.
        var dpEvent = DpEvent.PoissonSampledGaussian(256.0 / 60000, 1.1, (long)Math.Ceiling(60 * 60000 / 256.0));
        var result = new RdpAccountant(RdpConversion.Classic, RdpOrders.TfPrivacyTutorial).GetEpsilon(dpEvent, Delta);
        Assert.Equal(3.01, result.Epsilon, 0.005);
        Assert.Equal("classic", result.Conversion);
    }

    [Fact]
    public void MnistTutorial_ImprovedConversion_Gives2Point60()
    {
        // Same configuration; the improved conversion of Balle et al. 2020 (DESIGN.md §5: ≈ 2.60).
        var dpEvent = DpEvent.PoissonSampledGaussian(256.0 / 60000, 1.1, (long)Math.Ceiling(60 * 60000 / 256.0));
        var result = new RdpAccountant().GetEpsilon(dpEvent, Delta);
        Assert.Equal(2.60, result.Epsilon, 0.005);
        Assert.Equal("improved", result.Conversion);
    }

    [Fact]
    public void OpacusAccountingTest_ImprovedConversion_Gives7Point3291()
    {
        // Opacus tests/accountants_test.py::test_rdp_accountant: σ = 1.5, q = 0.04,
        // steps = int(90 / 0.04) = 2250, δ = 1e-5 → 7.32911117143 (DEFAULT_ALPHAS grid).
        var dpEvent = DpEvent.PoissonSampledGaussian(0.04, 1.5, 2250);
        var opacusGrid = new RdpAccountant(RdpConversion.Improved, RdpOrders.Opacus).GetEpsilon(dpEvent, Delta);
        Assert.Equal(7.32911117143, opacusGrid.Epsilon, 1e-6);
        var defaultGrid = new RdpAccountant().GetEpsilon(dpEvent, Delta);
        Assert.Equal(7.3291, defaultGrid.Epsilon, 1e-3);
        Assert.True(defaultGrid.Epsilon <= opacusGrid.Epsilon + 1e-12, "a finer grid can only lower the minimum");
    }

    [Fact]
    public void DeEtAlCifar10_Epsilon1Configuration_GivesJustUnder1()
    {
        // De et al. 2022, "Unlocking High-Accuracy Differentially Private Image Classification
        // through Scale", Table: CIFAR-10 ε = 1 uses batch 4096 of 50000, σ = 10, 875 steps,
        // δ = 1e-5. Their accountant reports ε ≤ 1; RDP with the improved conversion gives 0.988.
        var dpEvent = DpEvent.PoissonSampledGaussian(4096.0 / 50000, 10, 875);
        var result = new RdpAccountant().GetEpsilon(dpEvent, Delta);
        Assert.InRange(result.Epsilon, 0.98, 1.0);
    }

    [Fact]
    public void TfPrivacyRdpTests_PublishedValues_AreReproduced()
    {
        // tensorflow/privacy rdp_accountant_test.py (also dp_accounting rdp tests):
        // compute_rdp(q=0.1, σ=2, steps=10, order=5) = 0.07737 (5 places), and
        // compute_rdp(0.01, 2.5, 50, [1.5, 2.5, 5, 50, 100]) = [0.00065, 0.001085, 0.00218075,
        // 0.023846, 167.416307] (delta 1e-5). Orders 1.5 and 2.5 exercise the fractional series.
        Assert.Equal(0.07737, 10 * SubsampledGaussianRdp.Compute(0.1, 2, 5), 5e-6);
        var orders = new[] { 1.5, 2.5, 5, 50, 100 };
        var expected = new[] { 0.00065, 0.001085, 0.00218075, 0.023846, 167.416307 };
        for (var i = 0; i < orders.Length; i++)
        {
            Assert.Equal(expected[i], 50 * SubsampledGaussianRdp.Compute(0.01, 2.5, orders[i]), 1e-5);
        }
    }

    [Theory]
    [InlineData(1e-7, 0.1, 1.01)]
    [InlineData(1e-6, 0.1, 256.0)]
    [InlineData(1e-5, 0.1, 256.1)]
    [InlineData(1e-6, 1.0, 27.0)]
    [InlineData(1e-4, 1.0, 1.5)]
    [InlineData(0.01, 10.0, 20.0)]
    [InlineData(0.1, 100.0, 20.5)]
    [InlineData(0.99, 0.1, 256.0)]
    [InlineData(0.999, 100.0, 256.1)]
    public void TfPrivacyExtremeParameters_GiveFiniteRdpOrderedBetweenNeighbouringOrders(double q, double sigma, double order)
    {
        // The extreme (q, σ, α) of tensorflow/privacy rdp_accountant_test.py's log-space tests:
        // the result must be finite and non-negative, and RDP is non-decreasing in the order.
        var value = SubsampledGaussianRdp.Compute(q, sigma, order);
        Assert.True(double.IsFinite(value) && value >= 0, $"RDP = {value}");
        Assert.True(SubsampledGaussianRdp.Compute(q, sigma, order + 0.5) >= value * (1 - 1e-9));
        Assert.True(SubsampledGaussianRdp.Compute(q, sigma, Math.Max(1.005, order - 0.5)) <= value * (1 + 1e-9) + 1e-300);
    }

    [Theory]
    [InlineData(0.5, 2.0)]
    [InlineData(1.1, 1.5)]
    [InlineData(3.0, 32.0)]
    [InlineData(10.0, 1024.0)]
    [InlineData(2.0, 4.7)]
    public void FullBatch_RdpPerStep_EqualsAlphaOverTwoSigmaSquared(double sigma, double alpha)
    {
        // Mironov 2017, Prop. 7: the Gaussian mechanism with sensitivity 1 is (α, α/(2σ²))-RDP.
        Assert.Equal(alpha / (2 * sigma * sigma), SubsampledGaussianRdp.Compute(1, sigma, alpha), 1e-12);
    }

    [Theory]
    [InlineData(0.01, 1.0)]
    [InlineData(0.3, 0.7)]
    [InlineData(0.999, 2.0)]
    public void IntegerOrders_MatchTheBinomialSumComputedInLinearSpace(double q, double sigma)
    {
        // Direct evaluation of A_α = Σ_k C(α,k)(1−q)^{α−k} q^k e^{(k²−k)/(2σ²)} in plain double
        // arithmetic (fine for these small orders) against the log-space implementation.
        for (var alpha = 2; alpha <= 12; alpha++)
        {
            double a = 0;
            for (var k = 0; k <= alpha; k++)
            {
                a += Binomial(alpha, k) * Math.Pow(1 - q, alpha - k) * Math.Pow(q, k) * Math.Exp((k * k - k) / (2 * sigma * sigma));
            }
            var expected = Math.Log(a) / (alpha - 1);
            Assert.Equal(expected, SubsampledGaussianRdp.Compute(q, sigma, alpha), expected * 1e-10 + 1e-15);
        }
    }

    [Theory]
    [InlineData(0.01, 1.0)]
    [InlineData(0.1, 2.0)]
    [InlineData(0.5, 0.8)]
    public void FractionalOrders_MatchNumericalIntegrationOfTheDefinition(double q, double sigma)
    {
        // A_α = E_{x∼N(0,σ²)}[(1 − q + q e^{(2x−1)/(2σ²)})^α], integrated here by the trapezoid
        // rule on a fine grid: a different method from the library's series.
        foreach (var alpha in new[] { 1.05, 1.5, 2.5, 3.7, 7.3 })
        {
            var expected = Math.Log(IntegrateA(q, sigma, alpha)) / (alpha - 1);
            var actual = SubsampledGaussianRdp.Compute(q, sigma, alpha);
            Assert.Equal(expected, actual, Math.Abs(expected) * 1e-7);
        }
    }

    [Fact]
    public void FractionalOrderBetweenIntegers_IsBetweenNeighbouringIntegerRdp()
    {
        // RDP(α) is non-decreasing in α (van Erven & Harremoës 2014).
        var low = SubsampledGaussianRdp.Compute(0.05, 1.2, 5);
        var mid = SubsampledGaussianRdp.Compute(0.05, 1.2, 5.5);
        var high = SubsampledGaussianRdp.Compute(0.05, 1.2, 6);
        Assert.InRange(mid, low, high);
    }

    [Fact]
    public void Epsilon_IsMonotoneInSamplingRateNoiseMultiplierAndSteps()
    {
        var accountant = new RdpAccountant();
        double Eps(double q, double s, long t) => accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(q, s, t), Delta).Epsilon;
        var baseEps = Eps(0.01, 1.0, 1000);
        Assert.True(Eps(0.02, 1.0, 1000) > baseEps);
        Assert.True(Eps(0.01, 1.2, 1000) < baseEps);
        Assert.True(Eps(0.01, 1.0, 2000) > baseEps);
    }

    [Fact]
    public void ComposedEvent_EqualsSelfComposedEventWithTheSameTotalSteps()
    {
        var step = new PoissonSampledGaussianEvent(0.02, 1.3);
        var accountant = new RdpAccountant();
        var composed = new ComposedEvent(new DpEvent[] { new SelfComposedEvent(step, 300), new SelfComposedEvent(step, 700) });
        Assert.Equal(
            accountant.GetEpsilon(new SelfComposedEvent(step, 1000), Delta).Epsilon,
            accountant.GetEpsilon(composed, Delta).Epsilon,
            1e-9);
    }

    [Fact]
    public void DeltaAtEpsilon_InvertsEpsilonAtDelta()
    {
        var dpEvent = DpEvent.PoissonSampledGaussian(0.04, 1.5, 2250);
        foreach (var conversion in new[] { RdpConversion.Improved, RdpConversion.Classic })
        {
            var accountant = new RdpAccountant(conversion);
            var epsilon = accountant.GetEpsilon(dpEvent, Delta).Epsilon;
            var delta = accountant.GetDelta(dpEvent, epsilon).Delta;
            Assert.Equal(Delta, delta, Delta * 1e-6);
        }
    }

    [Fact]
    public void TinyNoiseAndManySteps_GiveALargeFiniteEpsilonNotNaN()
    {
        var result = new RdpAccountant().GetEpsilon(DpEvent.PoissonSampledGaussian(1, 0.01, 1_000_000_000), Delta);
        Assert.False(double.IsNaN(result.Epsilon));
        Assert.True(result.Epsilon > 1e6);
    }

    [Fact]
    public void FixedSizeSampling_IsRefusedWithTheEventName()
    {
        var ex = Assert.Throws<NotSupportedException>(() =>
            new RdpAccountant().GetEpsilon(new FixedSizeSampledGaussianEvent(256, 60000, 1.1), Delta));
        Assert.Contains("FixedSizeSampledGaussian", ex.Message);
    }

    private static double Binomial(int n, int k)
    {
        double result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    private static double IntegrateA(double q, double sigma, double alpha)
    {
        const int points = 400_000;
        double lo = -14 * sigma, hi = 1 + 14 * sigma + 2 * alpha * 1.0;
        var dx = (hi - lo) / points;
        double sum = 0;
        for (var i = 0; i <= points; i++)
        {
            var x = lo + i * dx;
            var density = Math.Exp(-x * x / (2 * sigma * sigma)) / (sigma * Math.Sqrt(2 * Math.PI));
            var ratio = 1 - q + q * Math.Exp((2 * x - 1) / (2 * sigma * sigma));
            var weight = i == 0 || i == points ? 0.5 : 1.0;
            sum += weight * density * Math.Pow(ratio, alpha);
        }
        return sum * dx;
    }
}
