using Obscura.Training.Reports;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary>Accuracy per class or group as a console table, with a baseline run beside it when given.</summary>
public static class FairnessTables
{
    public static Table Create(FairnessSummary run, string runLabel, FairnessSummary? baseline, string? baselineLabel)
    {
        var table = new Table().AddColumn(run.Kind).AddColumn(new TableColumn("examples").RightAligned()).AddColumn(new TableColumn(Markup.Escape(runLabel)).RightAligned());
        if (baseline is not null)
        {
            table.AddColumn(new TableColumn(Markup.Escape(baselineLabel ?? "baseline")).RightAligned()).AddColumn(new TableColumn("difference").RightAligned());
        }
        for (var i = 0; i < run.Groups.Count; i++)
        {
            var g = run.Groups[i];
            var cells = new List<string> { Markup.Escape(g.Name), $"{g.Count:N0}", Pct(g.Accuracy) };
            if (baseline is not null)
            {
                var other = i < baseline.Groups.Count ? baseline.Groups[i].Accuracy : double.NaN;
                cells.Add(Pct(other));
                cells.Add(Pct(g.Accuracy - other));
            }
            table.AddRow(cells.ToArray());
        }
        var worst = new List<string> { "[bold]worst[/]", "", Worst(run) };
        var gap = new List<string> { "[bold]best − worst gap[/]", "", Pct(run.Gap) };
        if (baseline is not null)
        {
            worst.AddRange([Worst(baseline), ""]);
            gap.AddRange([Pct(baseline.Gap), ""]);
        }
        table.AddRow(worst.ToArray());
        table.AddRow(gap.ToArray());
        return table;
    }

    private static string Worst(FairnessSummary s) => s.Worst is { } w ? $"{Pct(w.Accuracy)} ({Markup.Escape(w.Name)})" : "-";

    public static string Pct(double v) => double.IsFinite(v) ? $"{v:P1}" : "-";

    /// <summary>The JSON form: per-group accuracy, worst group and gap.</summary>
    public static object Json(FairnessSummary s) => new
    {
        Groups = s.Groups.Select(g => new { g.Name, g.Count, g.Accuracy }),
        Worst = s.Worst?.Name,
        WorstAccuracy = s.Worst?.Accuracy,
        s.Gap,
    };
}
