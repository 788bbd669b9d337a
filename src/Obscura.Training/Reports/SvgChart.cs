using System.Globalization;
using System.Text;

namespace Obscura.Training.Reports;

/// <summary>
/// Small, dependency-free SVG charts for the HTML report: a line chart (linear or log₁₀ axes,
/// with ticks, tick labels, axis labels and a legend), a grouped bar chart, and a heatmap for a
/// confusion matrix. Output is a standalone, well-formed <c>&lt;svg&gt;</c> element (XML), with
/// every text escaped; it references nothing outside itself.
/// </summary>
public static partial class SvgChart
{
    public const int Width = 560;
    public const int Height = 320;
    private const double Left = 64, Right = 16, Top = 48, Bottom = 48;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// A line chart of <paramref name="series"/>. On a log axis, values ≤ 0 are drawn at the axis
    /// minimum. <paramref name="diagonal"/> adds the dashed line y = x (chance level of a ROC).
    /// </summary>
    public static string Line(string title, ChartAxis x, ChartAxis y, IReadOnlyList<ChartSeries> series, bool diagonal = false)
    {
        var xs = series.SelectMany(s => s.X).ToArray();
        var ys = series.SelectMany(s => s.Y).ToArray();
        var (x0, x1) = Range(x, xs);
        var (y0, y1) = Range(y, ys);
        var plot = new Plot(x, y, x0, x1, y0, y1);
        var svg = Open(title, "line");
        plot.Axes(svg);
        if (diagonal)
        {
            var lo = Math.Max(x0, y0);
            var hi = Math.Min(x1, y1);
            var d = x.Log || y.Log ? Diagonal(plot, lo, hi) : $"M{F(plot.X(lo))},{F(plot.Y(lo))}L{F(plot.X(hi))},{F(plot.Y(hi))}";
            svg.Append($"<path class=\"diagonal\" d=\"{d}\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>");
        }
        foreach (var s in series)
        {
            var path = new StringBuilder();
            for (var i = 0; i < Math.Min(s.X.Count, s.Y.Count); i++)
            {
                if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i]))
                {
                    continue;
                }
                path.Append(path.Length == 0 ? 'M' : 'L').Append(F(plot.X(s.X[i]))).Append(',').Append(F(plot.Y(s.Y[i])));
            }
            if (path.Length == 0)
            {
                continue;
            }
            var dash = s.Dashed ? " stroke-dasharray=\"6 3\"" : "";
            svg.Append($"<path class=\"series\" d=\"{path}\" fill=\"none\" stroke=\"{Escape(s.Color)}\" stroke-width=\"2\"{dash}><title>{Escape(s.Name)}</title></path>");
            if (s.X.Count == 1)
            {
                svg.Append($"<circle cx=\"{F(plot.X(s.X[0]))}\" cy=\"{F(plot.Y(s.Y[0]))}\" r=\"3\" fill=\"{Escape(s.Color)}\"/>");
            }
        }
        Legend(svg, series.Select(s => (s.Name, s.Color)).ToArray());
        if (xs.Length == 0)
        {
            svg.Append($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#888\">no data</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    // y = x on log axes is straight too, but clip it to the drawable square so it never leaves the plot.
    private static string Diagonal(Plot plot, double lo, double hi) =>
        $"M{F(plot.X(lo))},{F(plot.Y(lo))}L{F(plot.X(hi))},{F(plot.Y(hi))}";

    private static (double, double) Range(ChartAxis axis, double[] values)
    {
        var finite = values.Where(v => double.IsFinite(v) && (!axis.Log || v > 0)).ToArray();
        double lo = axis.Min ?? (finite.Length == 0 ? (axis.Log ? 0.01 : 0) : finite.Min());
        double hi = axis.Max ?? (finite.Length == 0 ? 1 : finite.Max());
        if (axis.Log)
        {
            lo = Math.Pow(10, Math.Floor(Math.Log10(lo)));
            hi = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(hi, lo * 10))));
            if (hi <= lo)
            {
                hi = lo * 10;
            }
            return (lo, hi);
        }
        if (axis.Min is null && lo > 0 && lo < 0.5 * hi)
        {
            lo = 0; // include zero when it does not squash the data
        }
        if (hi <= lo)
        {
            hi = lo + (lo == 0 ? 1 : Math.Abs(lo) * 0.1);
        }
        if (axis.Max is null || axis.Min is null)
        {
            var step = NiceStep((hi - lo) / 5);
            lo = axis.Min ?? Math.Floor(lo / step) * step;
            hi = axis.Max ?? Math.Ceiling(hi / step) * step;
        }
        return (lo, hi);
    }

    private static double NiceStep(double raw)
    {
        if (!(raw > 0))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    private static StringBuilder Open(string title, string kind, int width = Width, int height = Height) =>
        new StringBuilder()
            .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\">")
            .Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>")
            .Append($"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");

    // One row under the title, outside the plot, so it never hides data.
    private static void Legend(StringBuilder svg, IReadOnlyList<(string Name, string Color)> items)
    {
        var x = Left;
        const double y = 36;
        foreach (var (name, color) in items)
        {
            svg.Append($"<rect x=\"{F(x)}\" y=\"{F(y - 9)}\" width=\"10\" height=\"10\" fill=\"{Escape(color)}\"/>")
               .Append($"<text x=\"{F(x + 14)}\" y=\"{F(y)}\" font-size=\"11\">{Escape(name)}</text>");
            x += 14 + 6.5 * name.Length + 16; // about 6.5 px per character at 11 px
        }
    }

    private static string Tick(ChartAxis axis, double v)
    {
        if (axis.Percent)
        {
            return (v * 100).ToString("0.##", C) + "%";
        }
        if (axis.Log)
        {
            return v >= 1e-4 && v <= 1e5 ? v.ToString("0.####", C) : v.ToString("0e0", C);
        }
        return Math.Abs(v) >= 1e5 || (v != 0 && Math.Abs(v) < 1e-3) ? v.ToString("0.##e0", C) : v.ToString("0.###", C);
    }

    internal static string F(double v) => v.ToString("0.##", C);

    /// <summary>Escapes text for XML content and attribute values.</summary>
    public static string Escape(string text) => text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    private sealed class Plot(ChartAxis xAxis, ChartAxis yAxis, double x0, double x1, double y0, double y1)
    {
        private const double PlotWidth = Width - Left - Right;
        private const double PlotHeight = Height - Top - Bottom;

        public double X(double v) => Left + PlotWidth * Fraction(xAxis, v, x0, x1);

        public double Y(double v) => Top + PlotHeight * (1 - Fraction(yAxis, v, y0, y1));

        private static double Fraction(ChartAxis axis, double v, double lo, double hi)
        {
            if (axis.Log)
            {
                v = Math.Max(v, lo);
                return Math.Clamp((Math.Log10(v) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo)), 0, 1);
            }
            return Math.Clamp((v - lo) / (hi - lo), 0, 1);
        }

        public void Axes(StringBuilder svg, bool xTicks = true)
        {
            svg.Append($"<path class=\"axes\" d=\"M{F(Left)},{F(Top)}V{F(Top + PlotHeight)}H{F(Left + PlotWidth)}\" fill=\"none\" stroke=\"#333\"/>");
            foreach (var t in xTicks ? Ticks(xAxis, x0, x1) : Enumerable.Empty<double>())
            {
                var px = X(t);
                svg.Append($"<path class=\"grid\" d=\"M{F(px)},{F(Top)}V{F(Top + PlotHeight)}\" stroke=\"#eee\"/>")
                   .Append($"<path class=\"tick\" d=\"M{F(px)},{F(Top + PlotHeight)}v5\" stroke=\"#333\"/>")
                   .Append($"<text x=\"{F(px)}\" y=\"{F(Top + PlotHeight + 18)}\" text-anchor=\"middle\" font-size=\"11\">{Escape(Tick(xAxis, t))}</text>");
            }
            foreach (var t in Ticks(yAxis, y0, y1))
            {
                var py = Y(t);
                svg.Append($"<path class=\"grid\" d=\"M{F(Left)},{F(py)}H{F(Left + PlotWidth)}\" stroke=\"#eee\"/>")
                   .Append($"<path class=\"tick\" d=\"M{F(Left - 5)},{F(py)}h5\" stroke=\"#333\"/>")
                   .Append($"<text x=\"{F(Left - 8)}\" y=\"{F(py + 4)}\" text-anchor=\"end\" font-size=\"11\">{Escape(Tick(yAxis, t))}</text>");
            }
            svg.Append($"<text x=\"{F(Left + PlotWidth / 2)}\" y=\"{F(Height - 8)}\" text-anchor=\"middle\" font-size=\"12\">{Escape(xAxis.Label)}</text>")
               .Append($"<text x=\"14\" y=\"{F(Top + PlotHeight / 2)}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 {F(Top + PlotHeight / 2)})\">{Escape(yAxis.Label)}</text>");
        }

        private static IEnumerable<double> Ticks(ChartAxis axis, double lo, double hi)
        {
            if (axis.Log)
            {
                for (var k = (int)Math.Round(Math.Log10(lo)); k <= (int)Math.Round(Math.Log10(hi)); k++)
                {
                    yield return Math.Pow(10, k);
                }
                yield break;
            }
            var step = NiceStep((hi - lo) / 5);
            for (var t = Math.Ceiling(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
            {
                yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
            }
        }
    }
}
