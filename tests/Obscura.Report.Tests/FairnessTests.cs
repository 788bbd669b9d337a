using Obscura.Training.Reports;

namespace Obscura.Report.Tests;

public sealed class FairnessTests
{
    private static GroupAssignment Groups(string csv, int count) => GroupAssignment.Parse(new StringReader(csv), "groups.csv", count);

    [Fact]
    public void ByClass_HandComputed_GivesRecallWorstAndGap()
    {
        int[] labels = [0, 0, 0, 0, 1, 1, 2, 2];
        int[] predicted = [0, 0, 0, 1, 1, 0, 2, 2];
        var s = Fairness.ByClass(labels, predicted, ["a", "b", "c"]);
        Assert.Equal([0.75, 0.5, 1.0], s.Groups.Select(g => g.Accuracy));
        Assert.Equal("b", s.Worst!.Name);
        Assert.Equal("c", s.Best!.Name);
        Assert.Equal(0.5, s.Gap, 1e-12);
    }

    [Fact]
    public void ByGroup_HandComputed_AndEmptyGroupsTakeNoPartInWorstAndGap()
    {
        int[] labels = [0, 1, 2, 0, 1];
        int[] predicted = [0, 1, 0, 1, 1];
        var groups = Groups("index,group\n0,north\n1,south\n2,north\n3,south\n4,south\n", 5);
        var s = Fairness.ByGroup(labels, predicted, groups);
        Assert.Equal(["north", "south"], s.Groups.Select(g => g.Name));
        Assert.Equal([2, 3], s.Groups.Select(g => g.Count));
        Assert.Equal(0.5, s.Groups[0].Accuracy, 1e-12);
        Assert.Equal(2.0 / 3, s.Groups[1].Accuracy, 1e-12);
        Assert.Equal("north", s.Worst!.Name);
        Assert.Equal(2.0 / 3 - 0.5, s.Gap, 1e-12);

        var withEmpty = Fairness.ByClass([0, 0], [0, 1], ["x", "never seen"]);
        Assert.True(double.IsNaN(withEmpty.Groups[1].Accuracy));
        Assert.Equal("x", withEmpty.Worst!.Name);
        Assert.Equal(0, withEmpty.Gap);
    }

    [Fact]
    public void GroupFile_QuotedLabelsBlankLinesAndAnyOrder_AreAccepted()
    {
        var g = Groups("index,group\r\n2,\"a, b\"\r\n\r\n0,c\r\n1,\"a, b\"\r\n", 3);
        Assert.Equal(["a, b", "c"], g.Names);
        Assert.Equal([1, 0, 0], g.GroupOf);
    }

    [Theory]
    [InlineData("index,group\n0,a\n1,b\n0,c\n", "groups.csv line 4", "index 0 is listed twice (first on line 2)")]
    [InlineData("index,group\n0,a\n1,b\n3,c\n", "groups.csv line 4", "index 3 is out of range")]
    [InlineData("index,group\n0,a\n-1,b\n", "groups.csv line 3", "not a non-negative integer")]
    [InlineData("index,group\n0,a\n1\n", "groups.csv line 3", "expected 'index,group'")]
    [InlineData("index,group\n0,a\n1,\n", "groups.csv line 3", "empty group label")]
    [InlineData("id,label\n0,a\n", "groups.csv line 1", "header")]
    [InlineData("index,group\n0,a\n2,b\n", "groups.csv:", "missing indices: 1")]
    public void GroupFile_Invalid_NamesTheFileAndLine(string csv, string where, string what)
    {
        var e = Assert.Throws<InvalidDataException>(() => Groups(csv, 3));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void GroupFile_Missing_SaysWhichFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => GroupAssignment.Load("/nonexistent/groups.csv", 3));
        Assert.Contains("/nonexistent/groups.csv", e.Message);
    }
}
