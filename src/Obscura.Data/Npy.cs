using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Obscura.Data;

/// <summary>
/// Reads NumPy's .npy format (versions 1, 2 and 3): the magic "\x93NUMPY", a version, a header
/// length, and a Python-literal header {'descr': …, 'fortran_order': …, 'shape': (…)} followed by
/// the raw array. Arrays of unsigned bytes and of little-endian integers are read, in C order only.
/// Every error is an <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>An array's element type ("u1", "i8", …, without byte order), shape and raw data.</summary>
    public sealed record Array(string Type, int[] Shape, byte[] Data)
    {
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    }

    public static Array Read(string path) => Decode(File.ReadAllBytes(path), path);

    public static Array Decode(byte[] file, string name)
    {
        if (file.Length < 10 || !file.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw Invalid(name, "not a NumPy .npy file (no \\x93NUMPY magic)");
        }
        var major = file[6];
        var (lengthBytes, headerLength) = major switch
        {
            1 => (2, (long)BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8))),
            2 or 3 => (4, (long)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8))),
            _ => throw Invalid(name, $".npy format version {major} is not 1, 2 or 3"),
        };
        var start = 8 + lengthBytes;
        if (start + headerLength > file.Length)
        {
            throw Invalid(name, "the header runs past the end of the file (truncated?)");
        }
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file, start, (int)headerLength);
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
        {
            throw Invalid(name, $"a header without 'descr', 'fortran_order' and 'shape': {header.Trim()}");
        }
        if (order.Groups[1].Value == "True")
        {
            throw Invalid(name, "a Fortran-ordered array; save it in C order (numpy.ascontiguousarray)");
        }
        var type = descr.Groups[1].Value;
        var size = type switch
        {
            "|u1" or "<u1" or "|i1" or "<i1" => 1,
            "<i2" or "<u2" => 2,
            "<i4" or "<u4" => 4,
            "<i8" or "<u8" => 8,
            _ => throw Invalid(name, $"element type '{type}'; Obscura reads images as uint8 (0–255) and labels as integers"),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, out var n) && n >= 0 ? n : throw Invalid(name, $"a shape entry '{d}' that is not a size")).ToArray();
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var dataStart = start + headerLength;
        if (file.Length - dataStart != count * size)
        {
            throw Invalid(name, $"shape ({string.Join(", ", dims)}) of '{type}' needs {count * size} bytes of data, the file has {file.Length - dataStart}");
        }
        return new Array(type[1..], dims, file[(int)dataStart..]);
    }

    /// <summary>The array's values as 64-bit integers (any integer type).</summary>
    public static long[] Integers(Array array, string name)
    {
        var size = int.Parse(array.Type[1..], System.Globalization.CultureInfo.InvariantCulture);
        var signed = array.Type[0] == 'i';
        var result = new long[array.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var bytes = array.Data.AsSpan(i * size, size);
            result[i] = (size, signed) switch
            {
                (1, false) => bytes[0],
                (1, true) => (sbyte)bytes[0],
                (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                (2, true) => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                (4, false) => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                (4, true) => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                (8, true) => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes), long.MaxValue),
            };
        }
        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    private static InvalidDataException Invalid(string name, string problem) => new($"{name}: {problem}.");
}
