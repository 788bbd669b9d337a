using Obscura.Privacy;

namespace Obscura.Privacy.Tests;

public class PldAccountantTests
{
    private const double Delta = 1e-5;

    [Theory]
    [InlineData(1.0, 1L)]
    [InlineData(0.8, 1L)]
    [InlineData(2.0, 10L)]
    [InlineData(5.0, 100L)]
    [InlineData(10.0, 1000L)]
    public void FullBatch_Epsilon_MatchesTheAnalyticGaussianAndIsNotBelowIt(double sigma, long steps)
    {
        // Balle & Wang 2018, Thm. 8: T Gaussian releases with noise multiplier σ are exactly
        // μ-GDP with μ = √T/σ; the PLD must reproduce that curve and, being pessimistic, never
        // fall below it.
        var expected = AnalyticGaussian.Epsilon(Delta, Math.Sqrt(steps) / sigma);
        var actual = new PldAccountant().GetEpsilon(DpEvent.PoissonSampledGaussian(1, sigma, steps), Delta).Epsilon;
        Assert.InRange(actual, expected - 1e-9, expected + Math.Max(1e-3, 1e-4 * expected));
    }

    [Theory]
    [InlineData(1e-4)]
    [InlineData(1e-3)]
    [InlineData(1e-2)]
    [InlineData(5e-2)]
    public void FullBatch_AnyDiscretisationInterval_StaysAboveTheAnalyticGaussian(double h)
    {
        var expected = AnalyticGaussian.Epsilon(Delta, Math.Sqrt(20) / 3);
        var actual = new PldAccountant(h).GetEpsilon(DpEvent.PoissonSampledGaussian(1, 3, 20), Delta).Epsilon;
        Assert.True(actual >= expected - 1e-9, $"h = {h}: PLD ε {actual} below the exact {expected}");
    }

    [Theory]
    [InlineData(0.01, 0.5)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.5, 0.7)]
    [InlineData(0.05, 2.0)]
    public void OneStep_Epsilon_MatchesHockeyStickByNumericalIntegration(double q, double sigma)
    {
        // Reference: δ(ε) = ∫ (p(x) − e^ε p'(x))₊ dx for both orders of the pair, integrated on a
        // fine x-grid (Simpson), then ε by bisection. A different method from the library's
        // closed-form interval masses, connect-the-dots grid and hockey-stick sum.
        var delta = 1e-3;
        var expected = Math.Max(
            BisectEpsilon(eps => HockeyStick(q, sigma, eps, remove: true), delta),
            BisectEpsilon(eps => HockeyStick(q, sigma, eps, remove: false), delta));
        var actual = new PldAccountant().GetEpsilon(new PoissonSampledGaussianEvent(q, sigma), delta).Epsilon;
        Assert.InRange(actual, expected - 1e-7, expected * 1.001 + 1e-6);
    }

    [Fact]
    public void DpAccountingTest_PoissonSubsampledGaussianThreeSteps_GivesDelta0Point15594AtEpsilon1()
    {
        // google/differential-privacy python/dp_accounting/pld/pld_privacy_accountant_test.py,
        // test_poisson_subsampled_gaussian and test_self_composed_subsampled_gaussian: q = 0.2,
        // σ = 0.5, composed 1 + 2 times (and self-composed 3 times) → δ(1) = 0.15594 (±1e-3 there).
        var step = new PoissonSampledGaussianEvent(0.2, 0.5);
        var accountant = new PldAccountant();
        var selfComposed = new SelfComposedEvent(step, 3);
        var composed = new ComposedEvent(new DpEvent[] { step, new SelfComposedEvent(step, 2) });
        Assert.Equal(0.15594, accountant.GetDelta(selfComposed, 1).Delta, 1e-5);
        Assert.Equal(0.15594, accountant.GetDelta(composed, 1).Delta, 1e-5);
        Assert.Equal(1, accountant.GetEpsilon(selfComposed, 0.15594).Epsilon, 1e-4);
    }

    [Fact]
    public void DpAccountingTest_GaussianThreeSteps_GivesDelta0Point126936AtEpsilon1()
    {
        // Same file, test_gaussian_basic: σ = √3 composed 3 times (μ = 1) → δ(1) = 0.126936.
        var dpEvent = new SelfComposedEvent(new GaussianEvent(Math.Sqrt(3)), 3);
        var delta = new PldAccountant().GetDelta(dpEvent, 1).Delta;
        Assert.InRange(delta, 0.126936, 0.126936 + 1e-4);
        Assert.Equal(0.126936, AnalyticGaussian.Delta(1, 1), 1e-6);
    }

    [Fact]
    public void DeEtAlCifar10_PldIsBelowRdpAndBelowOne()
    {
        // De et al. 2022, CIFAR-10 ε = 1: batch 4096 of 50000, σ = 10, 875 steps, δ = 1e-5. RDP gives
        // 0.988; the PLD is tighter (0.903 measured), and both must stay below the published 1.
        var dpEvent = DpEvent.PoissonSampledGaussian(4096.0 / 50000, 10, 875);
        var pld = new PldAccountant().GetEpsilon(dpEvent, Delta).Epsilon;
        var rdp = new RdpAccountant().GetEpsilon(dpEvent, Delta).Epsilon;
        Assert.InRange(pld, 0.88, 0.92);
        Assert.True(pld < rdp);
    }

    [Theory]
    [InlineData(0.001, 10.0, 10000L)]
    [InlineData(0.01, 1.0, 1000L)]
    [InlineData(0.04, 1.5, 2250L)]
    [InlineData(0.1, 0.5, 100L)]
    [InlineData(0.3, 3.0, 10L)]
    [InlineData(1.0, 0.5, 1L)]
    [InlineData(1.0, 10.0, 10000L)]
    [InlineData(0.001, 0.5, 1L)]
    public void Pld_IsNeverAboveRdp(double q, double sigma, long steps)
    {
        // RDP is a valid but looser bound; a PLD above it would mean the PLD is wrong (or looser
        // than it has any reason to be). Slack: 1e-3 relative for discretisation.
        var dpEvent = DpEvent.PoissonSampledGaussian(q, sigma, steps);
        var pld = new PldAccountant().GetEpsilon(dpEvent, Delta).Epsilon;
        var rdp = new RdpAccountant().GetEpsilon(dpEvent, Delta).Epsilon;
        Assert.True(pld <= rdp * 1.001, $"PLD {pld} > RDP {rdp}");
    }

    [Theory]
    [InlineData(0.001, 10.0, 10000L, 1e-6)]
    [InlineData(4096.0 / 50000, 3.0, 2500L, 1e-5)]
    [InlineData(0.5, 2.0, 100L, 1e-6)]
    public void AutomaticGridStep_IsNeverLooserThanDpAccountingDefaultStep(double q, double sigma, long steps, double delta)
    {
        // dp_accounting's PLDAccountant discretises with h = 1e-4 by default. The automatic step
        // may be tighter (when one step's loss spread is comparable to 1e-4, h = 1e-4 itself
        // inflates ε: 0.0367 against 0.0338 for the first case) but never looser by over 0.1%.
        var dpEvent = DpEvent.PoissonSampledGaussian(q, sigma, steps);
        var automatic = new PldAccountant().GetEpsilon(dpEvent, delta).Epsilon;
        var fixedStep = new PldAccountant(1e-4).GetEpsilon(dpEvent, delta).Epsilon;
        Assert.True(automatic <= fixedStep * 1.001, $"automatic {automatic} vs h = 1e-4 {fixedStep}");
    }

    [Fact]
    public void AutomaticGridStep_HasConvergedWhereDpAccountingDefaultStepHasNot()
    {
        // q = 0.001, σ = 10: one step's loss has standard deviation ≈ 1e-4, so h = 1e-4 is
        // coarse; halving the automatic step must not move ε by more than 0.1%.
        var dpEvent = DpEvent.PoissonSampledGaussian(0.001, 10, 10000);
        var accountant = new PldAccountant();
        var automatic = accountant.GetEpsilon(dpEvent, 1e-6).Epsilon;
        var finer = new PldAccountant(accountant.LastDiscretizationInterval / 2).GetEpsilon(dpEvent, 1e-6).Epsilon;
        Assert.Equal(finer, automatic, finer * 1e-3);
        Assert.True(automatic >= finer - 1e-12, "a coarser pessimistic grid cannot be tighter than a finer one here");
    }

    [Fact]
    public void Epsilon_IsMonotoneInSamplingRateNoiseMultiplierAndSteps()
    {
        var accountant = new PldAccountant();
        double Eps(double q, double s, long t) => accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(q, s, t), Delta).Epsilon;
        var baseEps = Eps(0.01, 1.0, 1000);
        Assert.True(Eps(0.012, 1.0, 1000) > baseEps);
        Assert.True(Eps(0.01, 1.1, 1000) < baseEps);
        Assert.True(Eps(0.01, 1.0, 1200) > baseEps);
    }

    [Fact]
    public void SelfComposition_EqualsRepeatedPairwiseComposition()
    {
        // Fourier-domain power on a Chernoff window versus plain linear convolutions.
        var accountant = new PldAccountant(1e-3);
        var step = new PoissonSampledGaussianEvent(0.2, 1.0);
        var one = accountant.BuildPld(step, NeighbouringRelation.Remove);
        var repeated = one;
        for (var i = 1; i < 8; i++)
        {
            repeated = repeated.Compose(one);
        }
        var power = one.SelfCompose(8);
        foreach (var eps in new[] { 0.5, 1.0, 2.0, 3.0 })
        {
            Assert.Equal(repeated.DeltaForEpsilon(eps), power.DeltaForEpsilon(eps), 1e-12);
        }
    }

    [Fact]
    public void ComposedEvent_EqualsSelfComposedEventWithTheSameTotalSteps()
    {
        var step = new PoissonSampledGaussianEvent(0.02, 1.3);
        var accountant = new PldAccountant(1e-3);
        var composed = new ComposedEvent(new DpEvent[] { new SelfComposedEvent(step, 30), new SelfComposedEvent(step, 70) });
        Assert.Equal(
            accountant.GetEpsilon(new SelfComposedEvent(step, 100), Delta).Epsilon,
            accountant.GetEpsilon(composed, Delta).Epsilon,
            1e-6);
    }

    [Fact]
    public void DeltaAtEpsilon_InvertsEpsilonAtDelta()
    {
        var dpEvent = DpEvent.PoissonSampledGaussian(0.04, 1.5, 2250);
        var accountant = new PldAccountant();
        var epsilon = accountant.GetEpsilon(dpEvent, Delta).Epsilon;
        Assert.Equal(Delta, accountant.GetDelta(dpEvent, epsilon).Delta, Delta * 1e-6);
    }

    [Fact]
    public void InfinityMassAtLeastDelta_GivesInfiniteEpsilonNotAWrongNumber()
    {
        var pld = new PrivacyLossDistribution(0.01, 0, new[] { 0.5, 0.4999 }, 1e-4);
        Assert.True(double.IsPositiveInfinity(pld.EpsilonForDelta(1e-5)));
        Assert.Equal(1e-4, pld.DeltaForEpsilon(1000), 1e-15);
    }

    [Fact]
    public void TinyNoiseAndManySteps_GiveAFiniteOrFlaggedEpsilonNeverNaN()
    {
        var result = new PldAccountant().GetEpsilon(DpEvent.PoissonSampledGaussian(1, 0.05, 1000), Delta);
        Assert.False(double.IsNaN(result.Epsilon));
        Assert.True(result.Epsilon > 1000 || result.IsInfinite);
        Assert.True(!result.IsInfinite || result.Note is not null);
    }

    [Fact]
    public void MassAboveOne_IsRefusedRatherThanUsed()
    {
        Assert.Throws<ArithmeticException>(() => new PrivacyLossDistribution(0.01, 0, new[] { 0.6, 0.6 }, 0));
    }

    [Fact]
    public void FixedSizeSampling_IsRefusedWithTheEventName()
    {
        var ex = Assert.Throws<NotSupportedException>(() =>
            new PldAccountant().GetEpsilon(new SelfComposedEvent(new FixedSizeSampledGaussianEvent(256, 60000, 1.1), 10), Delta));
        Assert.Contains("FixedSizeSampledGaussian", ex.Message);
    }

    private static double BisectEpsilon(Func<double, double> delta, double target)
    {
        double low = 0, high = 50;
        if (delta(0) <= target)
        {
            return 0;
        }
        for (var i = 0; i < 100; i++)
        {
            var middle = 0.5 * (low + high);
            if (delta(middle) > target)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return high;
    }

    // ∫ (P(x) − e^ε Q(x))₊ dx with remove: P = mixture, Q = N(0,σ²); add: the pair swapped.
    private static double HockeyStick(double q, double sigma, double epsilon, bool remove)
    {
        const int intervals = 200_000; // even, for Simpson's rule
        double lo = -15 * sigma, hi = 1 + 15 * sigma;
        var dx = (hi - lo) / intervals;
        var factor = Math.Exp(epsilon);
        double sum = 0;
        for (var i = 0; i <= intervals; i++)
        {
            var x = lo + i * dx;
            var centred = Density(x, sigma);
            var mixture = (1 - q) * centred + q * Density(x - 1, sigma);
            var value = remove ? Math.Max(0, mixture - factor * centred) : Math.Max(0, centred - factor * mixture);
            var weight = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * value;
        }
        return sum * dx / 3;
    }

    private static double Density(double x, double sigma) =>
        Math.Exp(-x * x / (2 * sigma * sigma)) / (sigma * Math.Sqrt(2 * Math.PI));
}
