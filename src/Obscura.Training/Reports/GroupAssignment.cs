using System.Globalization;

namespace Obscura.Training.Reports;

/// <summary>
/// A user's grouping of the test examples, read from a CSV file with header <c>index,group</c>:
/// one line per test example, naming its index (0-based, in test-set order) and its group label.
/// Every index 0..N−1 must appear exactly once.
/// </summary>
public sealed class GroupAssignment
{
    private GroupAssignment(int[] groupOf, string[] names, string source)
    {
        GroupOf = groupOf;
        Names = names;
        Source = source;
    }

    /// <summary>Group id of each test example, [N]; an index into <see cref="Names"/>.</summary>
    public IReadOnlyList<int> GroupOf { get; }

    /// <summary>Group labels in order of first appearance in the file.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Where the assignment was read from (for messages).</summary>
    public string Source { get; }

    /// <summary>Reads and validates <paramref name="path"/> for a test set of <paramref name="exampleCount"/> examples.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Bad header, a malformed, out-of-range or duplicate line, or an index with no line; the message names the file and line.</exception>
    public static GroupAssignment Load(string path, int exampleCount)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: group file not found (expected a CSV with header index,group).", path);
        }
        using var reader = new StreamReader(path);
        return Parse(reader, path, exampleCount);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static GroupAssignment Parse(TextReader reader, string source, int exampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exampleCount);
        var header = reader.ReadLine();
        if (header is null || !string.Equals(header.Trim().TrimStart('\uFEFF').Replace(" ", ""), "index,group", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{source} line 1: expected the header 'index,group', got '{header}'.");
        }
        var groupOf = new int[exampleCount];
        var lineOf = new int[exampleCount]; // 0 = not seen yet
        var names = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var comma = line.IndexOf(',');
            if (comma < 0)
            {
                throw new InvalidDataException($"{source} line {lineNumber}: expected 'index,group', got '{line}'.");
            }
            var indexText = line[..comma].Trim();
            var group = Unquote(line[(comma + 1)..].Trim());
            if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new InvalidDataException($"{source} line {lineNumber}: index '{indexText}' is not a non-negative integer.");
            }
            if (index >= exampleCount)
            {
                throw new InvalidDataException($"{source} line {lineNumber}: index {index} is out of range: the test set has {exampleCount} examples (indices 0..{exampleCount - 1}).");
            }
            if (group.Length == 0)
            {
                throw new InvalidDataException($"{source} line {lineNumber}: index {index} has an empty group label.");
            }
            if (lineOf[index] != 0)
            {
                throw new InvalidDataException($"{source} line {lineNumber}: index {index} is listed twice (first on line {lineOf[index]}).");
            }
            if (!ids.TryGetValue(group, out var id))
            {
                id = names.Count;
                ids[group] = id;
                names.Add(group);
            }
            groupOf[index] = id;
            lineOf[index] = lineNumber;
        }
        var missing = Enumerable.Range(0, exampleCount).Where(i => lineOf[i] == 0).ToArray();
        if (missing.Length > 0)
        {
            var examples = string.Join(", ", missing.Take(5));
            throw new InvalidDataException($"{source}: {missing.Length} of the {exampleCount} test examples have no group (missing indices: {examples}{(missing.Length > 5 ? ", ..." : "")}); every index 0..{exampleCount - 1} must appear once.");
        }
        return new GroupAssignment(groupOf, names.ToArray(), source);
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Replace("\"\"", "\"") : text;
}
