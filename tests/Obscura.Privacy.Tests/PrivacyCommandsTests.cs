using static Obscura.Tests.Shared.CommandLine;

namespace Obscura.Privacy.Tests;

public class PrivacyCommandsTests
{
    [Fact]
    public void Epsilon_WithJson_WritesOneLineWithTheRequiredFields()
    {
        var (code, _, json) = Run("epsilon", "--sampling-rate", "0.04", "--noise-multiplier", "1.5", "--steps", "2250",
            "--delta", "1e-5", "--accountant", "rdp", "--json");
        Assert.Equal(0, code);
        var root = json!.Value;
        // Opacus tests/accountants_test.py: 7.32911117143 with the improved conversion.
        Assert.Equal(7.3291, root.GetProperty("epsilon").GetDouble(), 1e-3);
        Assert.Equal(1e-5, root.GetProperty("delta").GetDouble());
        Assert.Equal(1.5, root.GetProperty("noise_multiplier").GetDouble());
        Assert.Equal(0.04, root.GetProperty("sampling_rate").GetDouble());
        Assert.Equal(2250, root.GetProperty("steps").GetInt64());
        Assert.Equal("rdp", root.GetProperty("accountant").GetString());
        Assert.Equal("improved", root.GetProperty("conversion").GetString());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.False(root.TryGetProperty("epsilon_pld", out _));
    }

    [Fact]
    public void Epsilon_WithDeltaNotBelowOneOverN_Warns_AndOnlyThen()
    {
        var (code, human, _) = Run("epsilon", "--noise-multiplier", "1.1", "--dataset-size", "60000", "--batch-size", "256", "--epochs", "1", "--delta", "1e-4");
        Assert.Equal(0, code);
        Assert.Contains("not below 1/N", human);
        (code, human, _) = Run("epsilon", "--noise-multiplier", "1.1", "--dataset-size", "60000", "--batch-size", "256", "--epochs", "1", "--delta", "1e-5");
        Assert.Equal(0, code);
        Assert.DoesNotContain("not below 1/N", human);
    }

    [Fact]
    public void Calibrate_TargetNeedingNoNoise_IsRefusedWithTheRightReason()
    {
        var (code, human, _) = Run("calibrate", "--epsilon", "1e6", "--delta", "1e-5", "--sampling-rate", "0.004", "--steps", "100");
        Assert.Equal(1, code);
        Assert.Contains("smaller epsilon", human);
        Assert.DoesNotContain("at least the sampling rate", human);
    }

    [Fact]
    public void Epsilon_AllAccountants_ReportsBothAndTheSmallerAsEpsilon()
    {
        var (code, human, json) = Run("epsilon", "--sampling-rate", "0.0683", "--noise-multiplier", "4.05", "--steps", "280",
            "--delta", "1e-5", "--accountant", "all", "--json");
        Assert.Equal(0, code);
        var root = json!.Value;
        var rdp = root.GetProperty("epsilon_rdp").GetDouble();
        var pld = root.GetProperty("epsilon_pld").GetDouble();
        Assert.True(pld < rdp);
        Assert.Equal(Math.Min(rdp, pld), root.GetProperty("epsilon").GetDouble());
        Assert.Equal("pld", root.GetProperty("accountant").GetString());
        Assert.Contains("improved conversion", human);
    }

    [Fact]
    public void Epsilon_FromDatasetBatchAndEpochs_PrintsTheDerivedSamplingRateAndSteps()
    {
        // TF Privacy MNIST tutorial: 60000 / 256, 60 epochs, classic conversion on our grid ≈ 3.01.
        var (code, human, json) = Run("epsilon", "--dataset-size", "60000", "--batch-size", "256", "--epochs", "60",
            "--noise-multiplier", "1.1", "--delta", "1e-5", "--accountant", "rdp", "--conversion", "classic", "--json");
        Assert.Equal(0, code);
        Assert.Contains("steps T = ceil(60 * 60000 / 256) = 14063", human);
        Assert.Equal(14063, json!.Value.GetProperty("steps").GetInt64());
        Assert.Equal(256.0 / 60000, json.Value.GetProperty("sampling_rate").GetDouble());
        Assert.Equal(3.01, json.Value.GetProperty("epsilon").GetDouble(), 0.005);
        Assert.Equal("classic", json.Value.GetProperty("conversion").GetString());
    }

    [Fact]
    public void Calibrate_PrintsSigmaWhoseVerifiedEpsilonMeetsTheTarget()
    {
        var (code, human, json) = Run("calibrate", "--epsilon", "3", "--delta", "1e-5",
            "--dataset-size", "60000", "--batch-size", "4096", "--epochs", "40", "--json");
        Assert.Equal(0, code);
        var root = json!.Value;
        var sigma = root.GetProperty("noise_multiplier").GetDouble();
        var epsilon = root.GetProperty("epsilon").GetDouble();
        Assert.InRange(epsilon, 2.97, 3.0);
        Assert.Equal(586, root.GetProperty("steps").GetInt64());
        Assert.Equal("pld", root.GetProperty("accountant").GetString());
        var check = new PldAccountant().GetEpsilon(DpEvent.PoissonSampledGaussian(4096.0 / 60000, sigma, 586), 1e-5).Epsilon;
        Assert.True(check <= 3);
        Assert.Contains("verified", human);
    }

    [Fact]
    public void Calibrate_WithNoiseMultiplier_FindsTheLargestNumberOfSteps()
    {
        var (code, _, json) = Run("calibrate", "--epsilon", "2", "--delta", "1e-5", "--sampling-rate", "0.01",
            "--noise-multiplier", "1", "--accountant", "rdp", "--json");
        Assert.Equal(0, code);
        var steps = json!.Value.GetProperty("steps").GetInt64();
        var accountant = new RdpAccountant();
        Assert.True(accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(0.01, 1, steps), 1e-5).Epsilon <= 2);
        Assert.True(accountant.GetEpsilon(DpEvent.PoissonSampledGaussian(0.01, 1, steps + 1), 1e-5).Epsilon > 2);
    }

    [Theory]
    [InlineData("--sampling-rate must be in (0, 1], got 1.5", "epsilon", "--sampling-rate", "1.5", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5")]
    [InlineData("--noise-multiplier must be a finite number > 0, got 0", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "0", "--steps", "10", "--delta", "1e-5")]
    [InlineData("--delta must be in (0, 1), got 1", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10", "--delta", "1")]
    [InlineData("--steps must be at least 1, got 0", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "0", "--delta", "1e-5")]
    [InlineData("not a mix", "epsilon", "--sampling-rate", "0.1", "--epochs", "3", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5")]
    [InlineData("--batch-size must be in [1, 100]", "epsilon", "--dataset-size", "100", "--batch-size", "200", "--epochs", "1", "--noise-multiplier", "1", "--delta", "1e-5")]
    [InlineData("--epsilon must be a finite number > 0, got -1", "calibrate", "--epsilon", "-1", "--delta", "1e-5", "--sampling-rate", "0.1", "--steps", "10")]
    [InlineData("out of reach", "calibrate", "--epsilon", "0.001", "--delta", "1e-5", "--sampling-rate", "1", "--noise-multiplier", "1")]
    public void BadInput_ExitsWithCode1AndNamesTheOption(string expected, params string[] args)
    {
        var (code, human, json) = Run(args);
        Assert.Equal(1, code);
        Assert.Contains(expected, human);
        Assert.Null(json);
    }
}
