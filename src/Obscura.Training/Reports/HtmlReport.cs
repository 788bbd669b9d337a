using System.Globalization;
using System.Text;

namespace Obscura.Training.Reports;

/// <summary>
/// The report of one run as ONE self-contained HTML file: inline CSS, inline SVG charts made by
/// <see cref="SvgChart"/>, no scripts, fonts, images or links to anything outside the file. It is
/// also well-formed XML (so tests can parse it). Sections carry stable ids: summary, statement,
/// loss, accuracy, epsilon, per-class, per-group, confusion, mia, reconstruction.
/// </summary>
public static class HtmlReport
{
    /// <summary>Ids of the sections that hold a chart when their data exist.</summary>
    public static readonly string[] ChartSections = ["loss", "accuracy", "epsilon", "per-class", "per-group", "confusion", "mia"];

    private const string RunColor = "#1f77b4";
    private const string BaselineColor = "#ff7f0e";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Renders the report of <paramref name="run"/>, with <paramref name="baseline"/> (usually non-private) beside it.</summary>
    public static string Render(RunAnalysis run, RunAnalysis? baseline = null, DateTimeOffset? generated = null)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
         .Append($"<title>Obscura report: {E(run.Name)}</title><style>{Css}</style></head><body>");
        h.Append($"<h1>Obscura report: {E(run.Name)}</h1>");
        h.Append($"<p class=\"meta\">{E(run.Model)}, {run.Parameters:N0} parameters, run folder {E(run.Path)}. Generated {E((generated ?? DateTimeOffset.UtcNow).ToString("u", C))} by obscura report.</p>");
        if (!run.Private)
        {
            h.Append($"<div class=\"warning\"><strong>NON-PRIVATE RUN.</strong> {E(PrivacyStatement.NonPrivateWarning)}</div>");
        }

        Section(h, "summary", "Summary", Summary(run, baseline));
        Section(h, "statement", "The privacy guarantee, in plain words",
            string.Concat(PrivacyStatement.Paragraphs(run).Select((p, i) => i == 0 ? $"<p class=\"headline\">{E(p)}</p>" : $"<p>{E(p)}</p>"))
            + (baseline is { Private: false } ? $"<p class=\"warning\">The baseline {E(baseline.Name)} is NON-PRIVATE: it has no privacy guarantee.</p>" : ""));

        var runs = baseline is null ? new[] { (run, RunColor) } : new[] { (run, RunColor), (baseline, BaselineColor) };
        Section(h, "loss", "Training loss", run.Metrics.Count == 0 ? Missing("metrics.csv has no rows.")
            : SvgChart.Line("Training loss against steps", new ChartAxis("step", Min: 0), new ChartAxis("training loss (smoothed)"),
                runs.Select(r => new ChartSeries(Label(r.Item1), r.Item1.Metrics.Select(m => (double)m.Step).ToArray(), r.Item1.Metrics.Select(m => m.TrainLoss).ToArray(), r.Item2)).ToArray())
              + "<p class=\"note\">The training loss is computed from the training data and is not covered by the privacy guarantee.</p>");
        // metrics.csv holds the accuracy on the run's held-out set: its validation split when it had one.
        var validated = run.Config.ValidationSize > 0;
        var curveSet = validated ? "Validation" : "Test";
        Section(h, "accuracy", $"{curveSet} accuracy", run.Metrics.Count == 0 ? Missing("metrics.csv has no rows.")
            : SvgChart.Line($"{curveSet} accuracy against steps", new ChartAxis("step", Min: 0), new ChartAxis($"{curveSet.ToLowerInvariant()} accuracy", Percent: true),
                runs.Select(r => new ChartSeries(Label(r.Item1), r.Item1.Metrics.Select(m => (double)m.Step).ToArray(), r.Item1.Metrics.Select(m => m.TestAccuracy).ToArray(), r.Item2)).ToArray())
              + (validated ? $"<p class=\"note\">Scored during training on the {run.Config.ValidationSize.ToString("N0", C)} examples held out of the training set (--validation-size); the figures below are on the test set.</p>" : "")
              + (run.Config.AverageViews ? $"<p class=\"note\">The curve scores single images; the final accuracy and the figures below average the predictions over {ViewAveraging.ViewCount} views of each image (--average-views).</p>" : ""));
        Section(h, "epsilon", "Privacy spent", run.Privacy is not { EpsilonCurve.Count: > 0 } p ? Missing(run.Private ? "No ε curve was computed." : "Non-private run: no privacy was accounted, because there is none.")
            : SvgChart.Line($"ε spent against steps (PLD, δ = {PrivacyStatement.Delta(p.Delta)})", new ChartAxis("step", Min: 0), new ChartAxis("ε", Min: 0),
                [new ChartSeries("ε", p.EpsilonCurve.Select(e => (double)e.Steps).ToArray(), p.EpsilonCurve.Select(e => e.Epsilon).ToArray(), RunColor)])
              + $"<p class=\"note\">Recomputed from the ledger at {p.EpsilonCurve.Count - 1} step counts. Final ε = {Num(p.Epsilon)} (PLD), {Num(p.EpsilonRdp)} (RDP).</p>");

        Section(h, "per-class", "Accuracy per class", SvgChart.Bars("Test accuracy per class", run.ClassNames,
                runs.Select(r => new BarSeries(Label(r.Item1), r.Item1.ByClass.Groups.Select(g => g.Accuracy).ToArray(), r.Item2)).ToArray(),
                new ChartAxis("accuracy", Min: 0, Max: 1, Percent: true))
            + FairnessTable(run.ByClass, baseline?.ByClass, run, baseline));
        if (run.ByGroup is { } groups)
        {
            var names = groups.Groups.Select(g => g.Name).ToArray();
            Section(h, "per-group", "Accuracy per group", SvgChart.Bars("Test accuracy per group", names,
                    runs.Where(r => r.Item1.ByGroup is not null).Select(r => new BarSeries(Label(r.Item1), r.Item1.ByGroup!.Groups.Select(g => g.Accuracy).ToArray(), r.Item2)).ToArray(),
                    new ChartAxis("accuracy", Min: 0, Max: 1, Percent: true))
                + FairnessTable(groups, baseline?.ByGroup, run, baseline));
        }
        else
        {
            Section(h, "per-group", "Accuracy per group", Missing("No groups given (pass --groups FILE.csv with header index,group to see accuracy per group)."));
        }
        Section(h, "confusion", "Confusion matrix", string.Concat(runs.Select(r =>
            SvgChart.Heatmap($"Confusion matrix: {Label(r.Item1)}", r.Item1.Test.Confusion(), r.Item1.ClassNames))));
        Section(h, "mia", "Membership inference (loss-threshold attack)", run.Mia is null ? Missing("The attack was not run.")
            : Roc(runs.Where(r => r.Item1.Mia is not null).Select(r => (r.Item1, r.Item2)).ToArray()));
        Section(h, "reconstruction", "Reconstruction risk", Reconstruction(run));
        h.Append("</body></html>\n");
        return h.ToString();
    }

    private static string Roc(IReadOnlyList<(RunAnalysis Run, string Color)> runs)
    {
        var first = runs[0].Run.Mia!;
        var floor = Math.Pow(10, Math.Floor(Math.Log10(1.0 / Math.Max(1, runs.Max(r => r.Run.Mia!.Roc.Negatives)))));
        var chart = SvgChart.Line("ROC of the loss-threshold attack (log-log)", new ChartAxis("false positive rate", Log: true, Min: floor, Max: 1),
            new ChartAxis("true positive rate", Log: true, Min: floor, Max: 1),
            runs.Select(r => new ChartSeries($"{Label(r.Run)} (AUC {Num(r.Run.Mia!.Auc, "0.###")})", r.Run.Mia!.Roc.FalsePositiveRates.ToArray(), r.Run.Mia!.Roc.TruePositiveRates.ToArray(), r.Color)).ToArray(),
            diagonal: true);
        var rows = string.Concat(runs.Select(r => $"<tr><td>{E(Label(r.Run))}</td><td>{Num(r.Run.Mia!.Auc, "0.####")}</td><td>{Pct(r.Run.Mia!.TprAt0_1Percent)}</td><td>{Pct(r.Run.Mia!.TprAt1Percent)}</td><td>{Num(r.Run.Mia!.MeanMemberLoss, "0.####")}</td><td>{Num(r.Run.Mia!.MeanNonMemberLoss, "0.####")}</td></tr>"));
        return chart
            + $"<table><tr><th>run</th><th>AUC</th><th>TPR at 0.1% FPR</th><th>TPR at 1% FPR</th><th>mean loss, members</th><th>mean loss, non-members</th></tr>{rows}</table>"
            + $"<p class=\"note\">Score = −loss (Yeom et al. 2018). Members: {first.Count:N0} training examples drawn at random (seed {first.Seed}); non-members: as many test examples. "
            + "The dashed diagonal is guessing. At FPR below 1/(number of non-members) the curve cannot be resolved.</p>";
    }

    private static string Reconstruction(RunAnalysis run)
    {
        if (run.Privacy is not { } p)
        {
            return Missing(run.Private ? "Not computed." : "Non-private run: there is no bound; a training example may be reconstructed outright.");
        }
        if (p.Reconstruction.Count == 0)
        {
            return Missing("Not computed.");
        }
        var rows = string.Concat(p.Reconstruction.Select(b =>
            $"<tr><td>{Num(b.Prior, "G3")}</td><td>{Num(b.SuccessProbability, "0.####")}</td><td>{Num(b.StandardError, "0.####")}</td><td>{b.Samples:N0}</td></tr>"));
        return "<p>Upper bound on the success probability of any reconstruction attack against one training example, given the success probability κ of the best guess without the model "
            + $"(Hayes, Mahloujifar and Balle 2023), for q = {Num(p.SamplingRate, "G3")}, σ = {Num(p.NoiseMultiplier, "G4")}, {p.Steps:N0} steps.</p>"
            + $"<table><tr><th>prior κ</th><th>bound on success</th><th>Monte Carlo standard error</th><th>samples</th></tr>{rows}</table>";
    }

    private static string Summary(RunAnalysis run, RunAnalysis? baseline)
    {
        var cols = baseline is null ? new[] { run } : new[] { run, baseline };
        var sb = new StringBuilder("<table><tr><th></th>");
        foreach (var r in cols)
        {
            sb.Append($"<th>{E(Label(r))}</th>");
        }
        sb.Append("</tr>");
        void Row(string name, Func<RunAnalysis, string> value)
        {
            sb.Append($"<tr><td>{E(name)}</td>");
            foreach (var r in cols)
            {
                sb.Append($"<td>{E(value(r))}</td>");
            }
            sb.Append("</tr>");
        }
        Row("private", r => r.Private ? "yes" : "NO (no privacy guarantee)");
        Row("model", r => $"{r.Model} ({r.Parameters:N0} parameters)");
        Row("test accuracy", r => Pct(r.Test.Accuracy));
        Row("worst class", r => r.ByClass.Worst is { } w ? $"{w.Name}: {Pct(w.Accuracy)}" : "-");
        Row("best − worst class gap", r => Pct(r.ByClass.Gap));
        if (run.ByGroup is not null)
        {
            Row("worst group", r => r.ByGroup?.Worst is { } w ? $"{w.Name}: {Pct(w.Accuracy)}" : "-");
            Row("best − worst group gap", r => r.ByGroup is { } g ? Pct(g.Gap) : "-");
        }
        Row("ε (PLD)", r => r.Privacy is { } p ? Num(p.Epsilon) : "∞ (none)");
        Row("δ", r => r.Privacy is { } p ? PrivacyStatement.Delta(p.Delta) : "-");
        Row("sampling rate q", r => r.Privacy is { } p ? Num(p.SamplingRate, "G3") : "-");
        Row("noise multiplier σ", r => r.Privacy is { } p ? Num(p.NoiseMultiplier, "G4") : "-");
        Row("clip norm C", r => r.Privacy is { } p ? Num(p.ClipNorm, "G3") : "-");
        Row("steps", r => r.Privacy is { } p ? p.Steps.ToString("N0", C) : r.Result?.Steps.ToString("N0", C) ?? "-");
        if (cols.Any(r => r.Audit is not null))
        {
            Row("one-run audit ε ≥ (loss; LiRA)", r => r.Audit is { } a ? $"{Num(a.Loss.EpsilonLowerBound, "0.##")}; {(a.Lira is { } l ? Num(l.EpsilonLowerBound, "0.##") : "-")}" : "-");
        }
        Row("membership inference AUC", r => r.Mia is { } m ? Num(m.Auc, "0.###") : "-");
        Row("TPR at 0.1% FPR", r => r.Mia is { } m ? Pct(m.TprAt0_1Percent) : "-");
        return sb.Append("</table>").ToString();
    }

    private static string FairnessTable(FairnessSummary s, FairnessSummary? b, RunAnalysis run, RunAnalysis? baseline)
    {
        var sb = new StringBuilder($"<table><tr><th>{E(s.Kind)}</th><th>examples</th><th>{E(Label(run))}</th>");
        if (b is not null)
        {
            sb.Append($"<th>{E(Label(baseline!))}</th><th>difference</th>");
        }
        sb.Append("</tr>");
        for (var i = 0; i < s.Groups.Count; i++)
        {
            var g = s.Groups[i];
            sb.Append($"<tr><td>{E(g.Name)}</td><td>{g.Count:N0}</td><td>{Pct(g.Accuracy)}</td>");
            if (b is not null)
            {
                var other = i < b.Groups.Count ? b.Groups[i].Accuracy : double.NaN;
                sb.Append($"<td>{Pct(other)}</td><td>{Pct(g.Accuracy - other)}</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append($"<tr class=\"total\"><td>worst</td><td></td><td>{Pct(s.Worst?.Accuracy ?? double.NaN)}</td>{(b is null ? "" : $"<td>{Pct(b.Worst?.Accuracy ?? double.NaN)}</td><td></td>")}</tr>");
        sb.Append($"<tr class=\"total\"><td>best − worst gap</td><td></td><td>{Pct(s.Gap)}</td>{(b is null ? "" : $"<td>{Pct(b.Gap)}</td><td></td>")}</tr>");
        return sb.Append("</table>").ToString();
    }

    private static void Section(StringBuilder h, string id, string title, string body) =>
        h.Append($"<section id=\"{id}\"><h2>{E(title)}</h2>{body}</section>");

    private static string Missing(string why) => $"<p class=\"missing\">{E(why)}</p>";

    private static string Label(RunAnalysis r) => r.Private ? r.Name : $"{r.Name} (non-private)";

    private static string E(string text) => SvgChart.Escape(text);

    private static string Num(double v, string format = "0.###") => double.IsFinite(v) ? v.ToString(format, C) : "-";

    private static string Pct(double v) => double.IsFinite(v) ? v.ToString("0.0#%", C) : "-";

    private const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
        + "h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}"
        + "table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;font-size:.92em}"
        + "th{background:#f4f6f8}tr.total td{font-weight:bold}.meta,.note{color:#555;font-size:.9em}.missing{color:#777;font-style:italic}"
        + ".warning{background:#fff3cd;border:2px solid #d9534f;color:#8a1f11;padding:.8em 1em;margin:1em 0;font-size:1.05em}"
        + ".headline{font-size:1.1em;font-weight:bold}svg.chart{display:block;margin:.6em 0;max-width:100%;height:auto;font-family:inherit}";
}
