using System.Globalization;

namespace Obscura.Training;

/// <summary>
/// metrics.csv: one row per evaluation (step, epoch, train_loss, test_accuracy, epsilon, seconds).
/// Rows are appended and flushed, so a crash keeps every finished row. The training loss is
/// computed from private data and is not covered by the DP guarantee.
/// </summary>
public sealed class MetricsLog(string path)
{
    public const string Header = "step,epoch,train_loss,test_accuracy,epsilon,seconds";

    public void Append(long step, double epoch, double trainLoss, double testAccuracy, double? epsilon, double seconds)
    {
        var fresh = !File.Exists(path);
        using var writer = new StreamWriter(path, append: true);
        if (fresh)
        {
            writer.WriteLine(Header);
        }
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Join(",",
            step.ToString(c), epoch.ToString("0.###", c), trainLoss.ToString("0.#####", c),
            testAccuracy.ToString("0.#####", c), epsilon?.ToString("0.####", c) ?? "", seconds.ToString("0.##", c)));
    }
}
