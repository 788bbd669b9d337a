using System.Buffers.Binary;

namespace Obscura.Data;

/// <summary>
/// Reads IDX files (the MNIST format, http://yann.lecun.com/exdb/mnist/), plain or gzip.
/// Layout: magic 00 00 TT NN (TT = data type, NN = number of dimensions), NN big-endian int32
/// dimensions, then the values row-major. Only TT = 0x08 (unsigned byte) is supported.
/// </summary>
public static class IdxReader
{
    /// <summary>Unsigned byte, the only data type MNIST-family files use.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>Reads and checks one IDX file.</summary>
    /// <param name="path">The file; gzip is detected by content.</param>
    /// <param name="hint">Appended to every error: how to get valid data.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// Wrong magic, unsupported data type, zero or absurd dimensions, truncated or extra data, corrupt
    /// gzip. The message names the file, what was found and what was expected.
    /// </exception>
    public static IdxArray Read(string path, string hint = "Pass a file in IDX format (http://yann.lecun.com/exdb/mnist/)")
    {
        using var stream = DataFile.Open(path, hint, out var gzip);
        var where = gzip ? " after decompression" : "";

        Span<byte> magic = stackalloc byte[4];
        var read = DataFile.ReadFull(stream, magic, path, hint);
        if (read < 4)
        {
            throw DataFile.Invalid(path, $"truncated: {read} bytes{where}, too short for the 4-byte IDX magic number", hint);
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw DataFile.Invalid(path, $"not an IDX file: magic number {Convert.ToHexString(magic)}, expected 0000TTNN (00 00, data type, number of dimensions)", hint);
        }
        if (magic[2] != UnsignedByte)
        {
            throw DataFile.Invalid(path, $"unsupported IDX data type 0x{magic[2]:X2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported", hint);
        }
        var rank = magic[3];
        if (rank == 0)
        {
            throw DataFile.Invalid(path, "IDX header declares 0 dimensions", hint);
        }

        Span<byte> header = stackalloc byte[4 * rank];
        read = DataFile.ReadFull(stream, header, path, hint);
        if (read < header.Length)
        {
            throw DataFile.Invalid(path, $"truncated: header declares {rank} dimensions ({4 * rank} bytes) but only {read} bytes follow the magic number{where}", hint);
        }
        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadInt32BigEndian(header.Slice(4 * i, 4));
            if (d <= 0)
            {
                throw DataFile.Invalid(path, $"IDX dimension {i} is {d}; dimensions must be positive", hint);
            }
            dimensions[i] = d;
            count *= d;
            if (count > Array.MaxLength)
            {
                throw DataFile.Invalid(path, $"IDX dimensions {string.Join("×", dimensions[..(i + 1)])}... exceed the largest array .NET can hold", hint);
            }
        }

        var data = GC.AllocateUninitializedArray<byte>((int)count);
        read = DataFile.ReadFull(stream, data, path, hint);
        var shape = string.Join("×", dimensions);
        if (read < data.Length)
        {
            throw DataFile.Invalid(path, $"truncated: header promises {count} bytes of data ({shape}), file holds {read}{where}", hint);
        }
        var extra = DataFile.CountRemaining(stream, path, hint);
        if (extra > 0)
        {
            throw DataFile.Invalid(path, $"{extra} extra bytes: header promises {count} bytes of data ({shape}), file holds {count + extra}{where}", hint);
        }
        return new IdxArray(path, dimensions, data);
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };
}
