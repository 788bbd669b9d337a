using System.Globalization;

namespace Obscura.Privacy;

/// <summary>
/// The sampling rate and steps of a run, from the numbers people usually quote: dataset size N,
/// expected batch size B and epochs E give q = B/N and T = ⌈E·N/B⌉.
/// </summary>
/// <param name="SamplingRate">q = B/N.</param>
/// <param name="Steps">T = ⌈E·N/B⌉ (E·N/B within 1e-9 relative of an integer counts as that integer).</param>
public sealed record TrainingSchedule(double SamplingRate, long Steps)
{
    /// <summary>Resolves q and T. The name arguments are used in error messages (e.g. "--batch-size").</summary>
    /// <exception cref="ArgumentOutOfRangeException">N &lt; 1, B ∉ [1, N], E not a finite number &gt; 0, or T overflows.</exception>
    public static TrainingSchedule FromEpochs(
        long datasetSize, long batchSize, double epochs,
        string datasetSizeName = "datasetSize", string batchSizeName = "batchSize", string epochsName = "epochs")
    {
        if (datasetSize < 1)
        {
            throw new ArgumentOutOfRangeException(datasetSizeName, $"{datasetSizeName} must be at least 1, got {datasetSize.ToString(CultureInfo.InvariantCulture)}");
        }
        if (batchSize < 1 || batchSize > datasetSize)
        {
            throw new ArgumentOutOfRangeException(batchSizeName,
                $"{batchSizeName} must be in [1, {datasetSize.ToString(CultureInfo.InvariantCulture)}] ({datasetSizeName}), got {batchSize.ToString(CultureInfo.InvariantCulture)}");
        }
        if (!double.IsFinite(epochs) || epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(epochsName, $"{epochsName} must be a finite number > 0, got {PrivacyArgument.Format(epochs)}");
        }
        var exact = epochs * datasetSize / batchSize;
        var nearest = Math.Round(exact);
        var steps = Math.Abs(exact - nearest) <= 1e-9 * nearest ? nearest : Math.Ceiling(exact);
        if (steps > long.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(epochsName, $"{epochsName} gives {PrivacyArgument.Format(steps)} steps, too many to account");
        }
        return new TrainingSchedule((double)batchSize / datasetSize, Math.Max(1, (long)steps));
    }
}
