namespace Obscura.Training.Reports;

/// <summary>An axis of a <see cref="SvgChart"/>: its label, linear or log₁₀ scale, optional fixed range, and tick format.</summary>
/// <param name="Percent">Tick labels as percentages (values are fractions).</param>
public sealed record ChartAxis(string Label, bool Log = false, double? Min = null, double? Max = null, bool Percent = false);
