using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class Cifar10BinaryTests
{
    private static byte[] Records(int count, int seed, out byte[] labels)
    {
        var bytes = IdxWriter.Bytes(count * Cifar10Binary.RecordBytes, seed);
        labels = new byte[count];
        for (var r = 0; r < count; r++)
        {
            labels[r] = (byte)(bytes[r * Cifar10Binary.RecordBytes] % 10);
            bytes[r * Cifar10Binary.RecordBytes] = labels[r];
        }
        return bytes;
    }

    [Fact]
    public void ReadFiles_TwoSmallFiles_ConcatenatesRecordsAsChw()
    {
        using var dir = new TempDirectory();
        var a = Records(2, seed: 1, out var labelsA);
        var b = Records(3, seed: 2, out var labelsB);
        File.WriteAllBytes(dir.File("a.bin"), a);
        File.WriteAllBytes(dir.File("b.bin"), IdxWriter.Gzip(b));

        var data = Cifar10Binary.ReadFiles([dir.File("a.bin"), dir.File("b.bin")], "tiny");

        Assert.Equal([5, 3, 32, 32], data.Shape);
        Assert.Equal(labelsA.Concat(labelsB).Select(l => (int)l), data.Labels.ToArray());
        // Record 3 = second record of b; its green plane starts 1024 bytes into the pixels.
        var record = b.AsSpan(Cifar10Binary.RecordBytes, Cifar10Binary.RecordBytes);
        Assert.Equal(record[1 + 1024 + 5] / 255f, data.Image(3)[1024 + 5]);
        Assert.Equal(record[1] / 255f, data.Image(3)[0]);
    }

    [Fact]
    public void ReadFiles_PerChannelNormalization_UsesEachChannelsMeanAndStd()
    {
        using var dir = new TempDirectory();
        var bytes = Records(1, seed: 3, out _);
        File.WriteAllBytes(dir.File("x.bin"), bytes);

        var data = Cifar10Binary.ReadFiles([dir.File("x.bin")], "x", Cifar10Binary.Normalization);

        Assert.Equal((bytes[1 + 2048] / 255f - 0.4465f) / 0.2616f, data.Pixels[2048], 1e-6f);
        Assert.Equal((bytes[1] / 255f - 0.4914f) / 0.2470f, data.Pixels[0], 1e-6f);
    }

    [Fact]
    public void ReadFiles_PartialRecord_IsRejectedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data_batch_1.bin");
        File.WriteAllBytes(path, Records(2, seed: 4, out _)[..(Cifar10Binary.RecordBytes + 100)]);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10Binary.ReadFiles([path], "x"));

        Assert.Contains(path, e.Message);
        Assert.Contains("3073", e.Message);
        Assert.Contains("100 bytes left over", e.Message);
    }

    [Fact]
    public void ReadFiles_LabelAboveNine_IsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.bin");
        var bytes = Records(2, seed: 5, out _);
        bytes[Cifar10Binary.RecordBytes] = 11;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => Cifar10Binary.ReadFiles([path], "x"));

        Assert.Contains(path, e.Message);
        Assert.Contains("label 11 of record 1", e.Message);
    }

    [Fact]
    public void LoadTest_ParentOfUnpackedArchive_FindsTheNestedDirectory()
    {
        using var dir = new TempDirectory();
        var nested = Directory.CreateDirectory(Path.Combine(dir.Path, "cifar-10-batches-bin")).FullName;
        File.WriteAllBytes(Path.Combine(nested, Cifar10Binary.TestFile), Records(2, seed: 6, out var labels));

        var data = Cifar10Binary.LoadTest(dir.Path);

        Assert.Equal("cifar10/test", data.Name);
        Assert.Equal(labels.Select(l => (int)l), data.Labels.ToArray());
    }

    [Fact]
    public void LoadTrain_MissingFile_SaysWhereToGetTheData()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<FileNotFoundException>(() => Cifar10Binary.LoadTrain(dir.Path));

        Assert.Contains("data_batch_1.bin", e.Message);
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
    }
}
