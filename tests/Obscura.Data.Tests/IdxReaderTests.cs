using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_WrittenFile_RoundTripsDimensionsAndValues(bool gzip)
    {
        using var dir = new TempDirectory();
        var data = IdxWriter.Bytes(5 * 3 * 4, seed: 1);
        var path = IdxWriter.Write(dir.File("x.idx"), [5, 3, 4], data, gzip);

        var array = IdxReader.Read(path);

        Assert.Equal([5, 3, 4], array.Dimensions);
        Assert.Equal(5, array.Count);
        Assert.Equal(data, array.Data);
        Assert.Equal(path, array.Path);
    }

    [Fact]
    public void Read_GzipWithPlainName_IsDetectedByMagicBytes()
    {
        using var dir = new TempDirectory();
        var data = IdxWriter.Bytes(7, seed: 2);
        var path = dir.File("labels-idx1-ubyte");
        File.WriteAllBytes(path, IdxWriter.Gzip(IdxWriter.Encode([7], data)));

        Assert.Equal(data, IdxReader.Read(path).Data);
    }

    [Fact]
    public void Read_WrongMagic_IsRejectedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var bytes = IdxWriter.Encode([2], [1, 2]);
        bytes[0] = 0x50;
        var path = dir.File("bad-magic");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, "HINT"));

        Assert.Contains(path, e.Message);
        Assert.Contains("magic", e.Message);
        Assert.Contains("HINT", e.Message);
    }

    [Fact]
    public void Read_WrongDataType_IsRejectedNamingTypeAndFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("floats");
        File.WriteAllBytes(path, IdxWriter.Encode([1], [0, 0, 0, 0], type: 0x0D));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("0x0D", e.Message);
        Assert.Contains("float32", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TruncatedData_SaysHowManyBytesWerePromisedAndFound(bool gzip)
    {
        using var dir = new TempDirectory();
        var bytes = IdxWriter.Encode([60000, 28, 28], IdxWriter.Bytes(1000, seed: 3));
        var path = dir.File("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? IdxWriter.Gzip(bytes) : bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated: header promises 47040000 bytes", e.Message);
        Assert.Contains("file holds 1000", e.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_IsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("short");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_IsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_ExtraBytes_AreRejectedWithTheirCount(bool gzip)
    {
        using var dir = new TempDirectory();
        var bytes = IdxWriter.Encode([4], [1, 2, 3, 4]).Concat(new byte[] { 9, 9, 9 }).ToArray();
        var path = dir.File("extra");
        File.WriteAllBytes(path, gzip ? IdxWriter.Gzip(bytes) : bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("3 extra bytes", e.Message);
    }

    [Fact]
    public void Read_ZeroDimension_IsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("zero");
        File.WriteAllBytes(path, IdxWriter.Encode([0, 28], []));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains("dimension 0 is 0", e.Message);
    }

    [Fact]
    public void Read_CorruptGzip_IsRejectedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var gz = IdxWriter.Gzip(IdxWriter.Encode([100], IdxWriter.Bytes(100, seed: 4)));
        for (var i = 10; i < gz.Length - 8; i++)
        {
            gz[i] ^= 0x5A;
        }
        var path = dir.File("corrupt.gz");
        File.WriteAllBytes(path, gz);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, "HINT"));

        Assert.Contains(path, e.Message);
        Assert.Contains("HINT", e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundWithHint()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nope");

        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(path, "install it"));

        Assert.Contains(path, e.Message);
        Assert.Contains("install it", e.Message);
        Assert.Equal(path, e.FileName);
    }
}
