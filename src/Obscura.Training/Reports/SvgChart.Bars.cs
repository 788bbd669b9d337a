namespace Obscura.Training.Reports;

public static partial class SvgChart
{
    /// <summary>
    /// Grouped vertical bars: one group per category, one bar per series, on a linear y axis
    /// (<paramref name="y"/>; default range from 0 to the largest value). NaN values get no bar.
    /// Category labels are rotated when there are many.
    /// </summary>
    public static string Bars(string title, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, ChartAxis y)
    {
        var values = series.SelectMany(s => s.Values).ToArray();
        var (y0, y1) = Range(y with { Min = y.Min ?? 0 }, values);
        var rotate = categories.Count > 6;
        var bottom = rotate ? 96.0 : Bottom;
        var height = Height + (int)(bottom - Bottom);
        var plot = new Plot(new ChartAxis(""), y with { Min = y0, Max = y1 }, 0, 1, y0, y1);
        var svg = Open(title, "bars", Width, height);
        plot.Axes(svg, xTicks: false);
        var plotWidth = Width - Left - Right;
        var groupWidth = plotWidth / Math.Max(1, categories.Count);
        var barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            var gx = Left + c * groupWidth;
            for (var s = 0; s < series.Count; s++)
            {
                var v = c < series[s].Values.Count ? series[s].Values[c] : double.NaN;
                if (!double.IsFinite(v))
                {
                    continue;
                }
                var top = plot.Y(v);
                var baseLine = plot.Y(y0);
                var x = gx + groupWidth * 0.1 + s * barWidth;
                svg.Append($"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(top)}\" width=\"{F(Math.Max(1, barWidth - 1))}\" height=\"{F(Math.Max(0.5, baseLine - top))}\" fill=\"{Escape(series[s].Color)}\">")
                   .Append($"<title>{Escape(series[s].Name)}, {Escape(categories[c])}: {Escape(Tick(y, v))}</title></rect>");
            }
            var cx = gx + groupWidth / 2;
            var ly = Top + (Height - Top - Bottom) + 16;
            svg.Append(rotate
                ? $"<text x=\"{F(cx)}\" y=\"{F(ly)}\" text-anchor=\"end\" font-size=\"11\" transform=\"rotate(-40 {F(cx)} {F(ly)})\">{Escape(categories[c])}</text>"
                : $"<text x=\"{F(cx)}\" y=\"{F(ly)}\" text-anchor=\"middle\" font-size=\"11\">{Escape(categories[c])}</text>");
        }
        Legend(svg, series.Select(s => (s.Name, s.Color)).ToArray());
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A confusion matrix as a heatmap: rows are true classes, columns predicted classes; each cell
    /// is shaded by its share of its row (so the diagonal is per-class accuracy) and shows its count.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is not square with one label per row.</exception>
    public static string Heatmap(string title, long[,] counts, IReadOnlyList<string> labels)
    {
        var n = counts.GetLength(0);
        if (counts.GetLength(1) != n || labels.Count != n)
        {
            throw new ArgumentException($"SvgChart.Heatmap: need a square matrix with one label per row, got [{n}, {counts.GetLength(1)}] and {labels.Count} labels.");
        }
        const double cell = 40, left = 110, top = 40, bottom = 100;
        var width = (int)(left + n * cell + 20);
        var height = (int)(top + n * cell + bottom);
        var svg = Open(title, "heatmap", width, height);
        for (var r = 0; r < n; r++)
        {
            long total = 0;
            for (var c = 0; c < n; c++)
            {
                total += counts[r, c];
            }
            for (var c = 0; c < n; c++)
            {
                var share = total == 0 ? 0 : (double)counts[r, c] / total;
                var x = left + c * cell;
                var y = top + r * cell;
                svg.Append($"<rect class=\"cell\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(cell)}\" height=\"{F(cell)}\" fill=\"{Shade(share)}\" stroke=\"#fff\">")
                   .Append($"<title>true {Escape(labels[r])}, predicted {Escape(labels[c])}: {counts[r, c]} ({share:P1})</title></rect>")
                   .Append($"<text x=\"{F(x + cell / 2)}\" y=\"{F(y + cell / 2 + 4)}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{(share > 0.5 ? "#fff" : "#222")}\">{counts[r, c]}</text>");
            }
            svg.Append($"<text x=\"{F(left - 6)}\" y=\"{F(top + r * cell + cell / 2 + 4)}\" text-anchor=\"end\" font-size=\"11\">{Escape(labels[r])}</text>");
        }
        for (var c = 0; c < n; c++)
        {
            var cx = left + c * cell + cell / 2;
            var ly = top + n * cell + 12;
            svg.Append($"<text x=\"{F(cx)}\" y=\"{F(ly)}\" text-anchor=\"end\" font-size=\"11\" transform=\"rotate(-40 {F(cx)} {F(ly)})\">{Escape(labels[c])}</text>");
        }
        svg.Append($"<text x=\"{F(left + n * cell / 2)}\" y=\"{F(height - 8)}\" text-anchor=\"middle\" font-size=\"12\">predicted class</text>")
           .Append($"<text x=\"14\" y=\"{F(top + n * cell / 2)}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 {F(top + n * cell / 2)})\">true class</text>");
        return svg.Append("</svg>").ToString();
    }

    // White to dark blue, linear in the share.
    private static string Shade(double share)
    {
        var t = Math.Clamp(share, 0, 1);
        var r = (int)Math.Round(255 + (8 - 255) * t);
        var g = (int)Math.Round(255 + (48 - 255) * t);
        var b = (int)Math.Round(255 + (107 - 255) * t);
        return $"#{r:x2}{g:x2}{b:x2}";
    }
}
