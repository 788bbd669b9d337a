using System.Text;
using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class NumpyFolderTests
{
    private static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "npy");

    // A version-1 .npy file as NumPy writes it: header padded with spaces to a multiple of 64 bytes.
    private static byte[] Npy(string descr, int[] shape, byte[] data, bool fortran = false, int major = 1)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}";
        var prefix = major == 1 ? 10 : 12;
        var padded = dict.PadRight((prefix + dict.Length + 1 + 63) / 64 * 64 - prefix - 1) + "\n";
        var length = major == 1 ? BitConverter.GetBytes((ushort)padded.Length) : BitConverter.GetBytes(padded.Length);
        return [0x93, .. "NUMPY"u8, (byte)major, 0, .. length, .. Encoding.ASCII.GetBytes(padded), .. data];
    }

    [Fact]
    public void FilesWrittenByNumPy_LoadWithLabelsAsClassNames()
    {
        var train = NumpyFolder.LoadTrain(Fixtures);
        Assert.Equal([5, 1, 4, 3], train.Shape);
        Assert.Equal([0, 1, 2, 1, 0], train.Labels.ToArray());
        Assert.Equal(["0", "1", "2"], train.ClassNames);
        Assert.Equal(7 * 13 % 256 / 255f, train.Image(1)[1]); // element [1, 0, 1] = flat index 13
        var test = NumpyFolder.LoadTest(Fixtures);
        Assert.Equal([2, 0], test.Labels.ToArray()); // int32 labels
        Assert.Equal(DataFormat.Numpy, DataSource.Recognise(Fixtures).Format);
    }

    [Fact]
    public void ChannelsLastColour_BecomesPlanar_AndClassesTxtNamesTheClasses()
    {
        using var dir = new TempDirectory();
        var pixels = Enumerable.Range(0, 2 * 2 * 3 * 3).Select(i => (byte)i).ToArray(); // (2, 2, 3, 3)
        File.WriteAllBytes(dir.File("x_train.npy"), Npy("|u1", [2, 2, 3, 3], pixels, major: 2));
        File.WriteAllBytes(dir.File("y_train.npy"), Npy("<i8", [2], [.. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(0L)]));
        File.WriteAllLines(dir.File("classes.txt"), ["cat", "dog", ""]);
        var train = NumpyFolder.LoadTrain(dir.Path);
        Assert.Equal([2, 3, 2, 3], train.Shape);
        Assert.Equal(["cat", "dog"], train.ClassNames);
        // Image 1, channel 2 (blue), row 1, column 0: NumPy index [1, 1, 0, 2] = 18 + 9 + 0 + 2.
        Assert.Equal(29 / 255f, train.Image(1)[2 * 6 + 1 * 3 + 0]);
    }

    [Fact]
    public void BadArrays_AreRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var labels = Npy("|u1", [2], [0, 1]);
        File.WriteAllBytes(dir.File("y_train.npy"), labels);
        string Refused(byte[] images)
        {
            File.WriteAllBytes(dir.File("x_train.npy"), images);
            var message = Assert.Throws<InvalidDataException>(() => NumpyFolder.LoadTrain(dir.Path)).Message;
            Assert.Contains(dir.Path, message);
            return message;
        }
        Assert.Contains("uint8", Refused(Npy("<f4", [2, 1, 1], new byte[8])));
        Assert.Contains("Fortran", Refused(Npy("|u1", [2, 2, 2], new byte[8], fortran: true)));
        Assert.Contains("needs 8 bytes", Refused(Npy("|u1", [2, 2, 2], new byte[7])));
        Assert.Contains("2 labels for the 3 images", Refused(Npy("|u1", [3, 1, 1], new byte[3])));
        Assert.Contains("not a NumPy", Refused([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
        File.WriteAllLines(dir.File("classes.txt"), ["only"]);
        Assert.Contains("label 1 is outside 0…0", Refused(Npy("|u1", [2, 1, 1], new byte[2])));
    }
}
