using System.Xml.Linq;
using Obscura.Training.Reports;

namespace Obscura.Report.Tests;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Parse(string svg, bool hasPaths = true)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        var paths = root.Descendants(Svg + "path").ToArray();
        Assert.Equal(hasPaths, paths.Length > 0);
        Assert.All(paths, p => Assert.False(string.IsNullOrWhiteSpace((string?)p.Attribute("d"))));
        Assert.All(root.Descendants().SelectMany(e => e.Attributes()), a => Assert.DoesNotContain("NaN", a.Value));
        return root;
    }

    [Fact]
    public void Line_LinearAxes_IsWellFormedWithTicksLabelsAndOnePathPerSeries()
    {
        var svg = SvgChart.Line("loss <&> \"quoted\"", new ChartAxis("step"), new ChartAxis("loss"),
            [new ChartSeries("run <a>", [0, 10, 20], [2.3, 1.1, 0.7], "#1f77b4"), new ChartSeries("base & line", [0, 10, 20], [2.2, 0.9, 0.4], "#ff7f0e", Dashed: true)]);
        var root = Parse(svg);
        Assert.Equal(2, root.Descendants(Svg + "path").Count(p => (string?)p.Attribute("class") == "series"));
        Assert.True(root.Descendants(Svg + "path").Count(p => (string?)p.Attribute("class") == "tick") >= 6);
        var texts = root.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("loss <&> \"quoted\"", texts);
        Assert.Contains("step", texts);
        Assert.Contains("run <a>", texts);
    }

    [Fact]
    public void Line_LogLogWithZerosAndDiagonal_DrawsEverythingInsideThePlot()
    {
        var svg = SvgChart.Line("roc", new ChartAxis("fpr", Log: true, Min: 1e-3, Max: 1), new ChartAxis("tpr", Log: true, Min: 1e-3, Max: 1),
            [new ChartSeries("attack", [0, 0.001, 0.01, 0.5, 1], [0, 0.002, 0.03, 0.6, 1], "#1f77b4")], diagonal: true);
        var root = Parse(svg);
        Assert.Single(root.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "diagonal");
        Assert.Equal(["0.001", "0.01", "0.1", "1"], root.Descendants(Svg + "text").Select(t => t.Value).Where(v => v.StartsWith('0') || v == "1").Distinct());
        var d = (string)root.Descendants(Svg + "path").Single(p => (string?)p.Attribute("class") == "series").Attribute("d")!;
        foreach (var number in d.Split('M', 'L', ',').Where(s => s.Length > 0).Select(double.Parse))
        {
            Assert.InRange(number, 0, SvgChart.Width);
        }
    }

    [Fact]
    public void Line_NoData_StillParsesAndSaysSo()
    {
        var root = Parse(SvgChart.Line("empty", new ChartAxis("x"), new ChartAxis("y"), []));
        Assert.Contains("no data", root.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void Bars_TwoSeries_DrawsABarPerFiniteValue()
    {
        var root = Parse(SvgChart.Bars("per class", ["a", "b", "c"],
            [new BarSeries("dp", [0.5, 0.9, double.NaN], "#1f77b4"), new BarSeries("np", [0.6, 1.0, 0.2], "#ff7f0e")],
            new ChartAxis("accuracy", Min: 0, Max: 1, Percent: true)));
        Assert.Equal(5, root.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "bar"));
        Assert.Contains("100%", root.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void Heatmap_ShowsEveryCellWithItsCount()
    {
        var root = Parse(SvgChart.Heatmap("confusion", new long[,] { { 5, 1 }, { 0, 7 } }, ["cat", "dog"]), hasPaths: false);
        var cells = root.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell").ToArray();
        Assert.Equal(4, cells.Length);
        Assert.Contains("7", root.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Throws<ArgumentException>(() => SvgChart.Heatmap("bad", new long[2, 3], ["a", "b"]));
    }
}
