using System.Text.RegularExpressions;
using System.Xml.Linq;
using Obscura.Report.Tests.Support;
using Obscura.Training;
using Obscura.Training.Reports;

namespace Obscura.Report.Tests;

[Collection(TinyRunsCollection.Name)]
public sealed class HtmlReportTests(TinyRuns runs)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private (RunAnalysis Run, RunAnalysis Baseline) Analyse()
    {
        var options = new AnalysisOptions(GroupAssignment.Load(runs.GroupsFile, TinyRuns.TestCount), ReconstructionSamples: 2000, EpsilonPoints: 5);
        var train = runs.TrainSet;
        var test = runs.Test;
        return (RunAnalysis.Analyse(runs.Private, train, test, options), RunAnalysis.Analyse(runs.NonPrivate, train, test, options));
    }

    [Fact]
    public void Analyse_PrivateRun_AccountsTheLedgerAndBoundsReconstruction()
    {
        var (run, baseline) = Analyse();
        var p = run.Privacy!;
        Assert.Equal(5, p.Steps); // 200 examples, expected batch 40, one epoch
        Assert.Equal(0.2, p.SamplingRate, 12);
        Assert.Equal(1.0, p.NoiseMultiplier, 12);
        Assert.Equal(run.Result!.Epsilon!.Value, p.Epsilon, 9);
        Assert.True(p.EpsilonRdp >= p.Epsilon);
        Assert.Equal([0L, 1, 2, 3, 4, 5], p.EpsilonCurve.Select(e => e.Steps));
        Assert.Equal(p.Epsilon, p.EpsilonCurve[^1].Epsilon, 9);
        Assert.True(p.EpsilonCurve.Zip(p.EpsilonCurve.Skip(1)).All(pair => pair.Second.Epsilon > pair.First.Epsilon));
        Assert.Equal(AnalysisOptions.Priors, p.Reconstruction.Select(b => b.Prior));
        Assert.All(p.Reconstruction, b => Assert.True(b.SuccessProbability >= b.Prior - 3 * b.StandardError && b.SuccessProbability <= 1));
        Assert.Null(baseline.Privacy);
        Assert.Equal(TinyRuns.TestCount, run.Mia!.Count); // as many members as there are test examples
        Assert.Equal(2, run.ByGroup!.Groups.Count);
        Assert.Equal(run.Test.Accuracy, run.Result.TestAccuracy, 6); // the saved weights give the accuracy the trainer reported
    }

    [Fact]
    public void MembershipInference_SameSeed_SameSampleAndCurve_OtherSeed_OtherSample()
    {
        var config = runs.Private.LoadConfig();
        var (train, test) = (runs.TrainSet, runs.Test);
        var model = RunAnalysis.LoadModel(runs.Private, config, test);
        var a = MembershipInference.Run(model, train, test, count: 40, seed: 1);
        var b = MembershipInference.Run(model, train, test, count: 40, seed: 1);
        var c = MembershipInference.Run(model, train, test, count: 40, seed: 2);
        Assert.Equal(40, a.Count);
        Assert.Equal((40, 40), (a.Roc.Positives, a.Roc.Negatives));
        Assert.Equal(a.Roc.TruePositiveRates, b.Roc.TruePositiveRates);
        Assert.Equal(a.MeanMemberLoss, b.MeanMemberLoss);
        Assert.NotEqual(a.MeanMemberLoss, c.MeanMemberLoss);
        Assert.InRange(a.Auc, 0, 1);
    }

    [Fact]
    public void Render_TinyRunWithBaseline_HasEveryChartParsesAndLinksNothingOutside()
    {
        var (run, baseline) = Analyse();
        var html = HtmlReport.Render(run, baseline);
        var document = XDocument.Parse(html);
        var sections = document.Descendants("section").ToDictionary(s => (string)s.Attribute("id")!);
        foreach (var id in HtmlReport.ChartSections)
        {
            Assert.True(sections.ContainsKey(id), $"section {id} is missing");
            var svgs = sections[id].Descendants(Svg + "svg").ToArray();
            Assert.True(svgs.Length > 0, $"section {id} has no chart");
            Assert.All(svgs, s => Assert.True(s.Descendants().Count() > 5, $"a chart in {id} is empty"));
        }
        Assert.Equal(2, sections["confusion"].Descendants(Svg + "svg").Count());
        Assert.Contains("reconstruction", sections.Keys);
        Assert.Contains("statement", sections.Keys);
        Assert.Empty(document.Descendants("script"));
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "img" or "link" or "iframe" or "object");
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("url(", html);
        Assert.Contains("NON-PRIVATE", html); // the baseline is labelled
        Assert.Contains("adding or removing one training example", html);
        Assert.Contains("1 in 1,000", html);
    }

    [Fact]
    public void Render_NonPrivateRun_WarnsAndClaimsNoGuarantee()
    {
        var (_, baseline) = Analyse();
        var html = HtmlReport.Render(baseline);
        var document = XDocument.Parse(html);
        var warning = document.Descendants("div").Single(d => (string?)d.Attribute("class") == "warning");
        Assert.Contains("NON-PRIVATE RUN", warning.Value);
        Assert.DoesNotContain("trained with differential privacy: ε", html);
        Assert.Empty(document.Descendants("section").Single(s => (string?)s.Attribute("id") == "epsilon").Descendants(Svg + "svg"));
    }
}
