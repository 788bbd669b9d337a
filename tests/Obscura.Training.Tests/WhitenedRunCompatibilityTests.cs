using Obscura.Nn.Scattering;

namespace Obscura.Training.Tests;

public class WhitenedRunCompatibilityTests
{
    private static TrainConfig Config(string model, double? compression) =>
        new(model, "data", 8192, 60, new PrivacyConfig(3, null, 1e-5, 0.1), new PerformanceConfig(8192), new OptimizerConfig("sgd", 4, 0.9, 0, false),
            ScatterCompression: compression);

    [Fact]
    public void AWhitenedRunFromBeforeTheCompression_IsRefused_NamingItsConfigFile()
    {
        var folder = Directory.CreateTempSubdirectory("obscura-compat-").FullName;
        try
        {
            var run = new RunFolder(folder);
            var old = Config("scatter-whitened-linear", null);
            run.SaveConfig(old);
            var e = Assert.Throws<InvalidDataException>(() => run.LoadConfig());
            Assert.Contains(run.ConfigFile, e.Message);
            Assert.Contains("without the log compression", e.Message);

            run.SaveConfig(old with { ScatterCompression = 0.01 }); // another scale gives other features too
            Assert.Contains("c = 0.01", Assert.Throws<InvalidDataException>(() => run.LoadConfig()).Message);

            run.SaveConfig(old with { ScatterCompression = FeatureFrontEnd.CompressionFor(old.Model) });
            Assert.Equal(ScatterWhitening.CompressionScale, run.LoadConfig().ScatterCompression!.Value, 12);

            run.SaveConfig(Config("tanh-cnn", FeatureFrontEnd.CompressionFor("tanh-cnn")));
            Assert.Null(run.LoadConfig().ScatterCompression); // no scattering, nothing to check
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
