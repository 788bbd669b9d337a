namespace Obscura.Training.Reports;

/// <summary>One row of metrics.csv (see <see cref="MetricsLog"/>); <see cref="Epsilon"/> is null for non-private runs.</summary>
public sealed record MetricsRow(long Step, double Epoch, double TrainLoss, double TestAccuracy, double? Epsilon, double Seconds)
{
    /// <summary>Reads metrics.csv; an absent file gives no rows.</summary>
    /// <exception cref="InvalidDataException">Wrong header or a malformed row (names the file and line).</exception>
    public static IReadOnlyList<MetricsRow> ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return [];
        }
        if (lines[0].Trim() != MetricsLog.Header)
        {
            throw new InvalidDataException($"{path} line 1: expected the header '{MetricsLog.Header}', got '{lines[0]}'.");
        }
        var rows = new List<MetricsRow>();
        var c = System.Globalization.CultureInfo.InvariantCulture;
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            var f = lines[i].Split(',');
            try
            {
                if (f.Length != 6)
                {
                    throw new FormatException($"{f.Length} fields, expected 6");
                }
                rows.Add(new MetricsRow(long.Parse(f[0], c), double.Parse(f[1], c), double.Parse(f[2], c), double.Parse(f[3], c),
                    f[4].Length == 0 ? null : double.Parse(f[4], c), double.Parse(f[5], c)));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path} line {i + 1}: {e.Message}: '{lines[i]}'.");
            }
        }
        return rows;
    }
}
