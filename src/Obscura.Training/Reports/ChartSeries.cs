namespace Obscura.Training.Reports;

/// <summary>One line of a <see cref="SvgChart.Line"/> chart: points (X[i], Y[i]) joined in order.</summary>
/// <param name="Color">A CSS colour, e.g. <c>#1f77b4</c>.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string Color, bool Dashed = false);
