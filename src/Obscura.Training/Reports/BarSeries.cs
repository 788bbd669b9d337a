namespace Obscura.Training.Reports;

/// <summary>One series of a grouped <see cref="SvgChart.Bars"/> chart: one value per category (NaN: no bar).</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, string Color);
