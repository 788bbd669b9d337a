using System.Text.RegularExpressions;
using Obscura.Report.Tests.Support;
using Obscura.Training;
using Obscura.Training.Reports;

namespace Obscura.Report.Tests;

/// <summary>
/// Opens the HTML report in headless Chromium: every chart must come out of the browser's parser
/// with its drawing elements, and the screenshot must show the charts' colours. The screenshot is
/// kept under the test output folder (bin/.../TestResults/rendering/report.png) for people to look at.
/// </summary>
[Collection(TinyRunsCollection.Name)]
public sealed partial class ChromiumRenderingTests(TinyRuns runs)
{
    [BrowserFact]
    public void Report_RendersEveryChartInHeadlessChromium()
    {
        var chromium = Chromium.Find();
        Assert.True(chromium is not null, Chromium.InstallHint);

        var options = new AnalysisOptions(GroupAssignment.Load(runs.GroupsFile, TinyRuns.TestCount), ReconstructionSamples: 2000, EpsilonPoints: 5);
        var (train, test) = (runs.TrainSet, runs.Test);
        var html = HtmlReport.Render(RunAnalysis.Analyse(runs.Private, train, test, options), RunAnalysis.Analyse(runs.NonPrivate, train, test, options));
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "rendering");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "report.html");
        var screenshot = Path.Combine(folder, "report.png");
        File.Delete(screenshot);
        RunFolder.WriteAtomically(file, html);

        var dom = Chromium.Render(chromium!, file, screenshot, 1200, 7000, TimeSpan.FromSeconds(60));

        var sourceCharts = SvgElement().Matches(html).Count;
        var charts = SvgElement().Matches(dom);
        Assert.True(sourceCharts >= HtmlReport.ChartSections.Length);
        Assert.Equal(sourceCharts, charts.Count);
        foreach (Match chart in charts)
        {
            var drawn = DrawingElement().Matches(chart.Groups["body"].Value).Count;
            Assert.True(drawn > 5, $"a chart came out of Chromium with {drawn} drawing elements: {chart.Value[..Math.Min(200, chart.Value.Length)]}");
        }
        foreach (var id in HtmlReport.ChartSections)
        {
            Assert.Contains($"id=\"{id}\"", dom);
        }

        var png = Screenshot.Read(screenshot);
        Assert.Equal((1200, 7000), (png.Width, png.Height));
        // Lines and bars of the run and of the baseline, and the darkest heatmap cells, are on screen.
        Assert.True(png.Count("#1f77b4") > 500, "the private run's series are not visible in the screenshot");
        Assert.True(png.Count("#ff7f0e") > 500, "the baseline's series are not visible in the screenshot");
        Assert.True(png.Count("#08306b", tolerance: 40) > 100, "no dark heatmap cells in the screenshot");
    }

    [GeneratedRegex(@"<svg\b[^>]*>(?<body>.*?)</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex(@"<(path|rect|text|circle)\b")]
    private static partial Regex DrawingElement();
}
