using Obscura.Nn.Scattering;
using Obscura.Tensors;

namespace Obscura.Scattering.Tests;

public sealed class ScatterCacheTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "obscura-scatter-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> log = [];

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void GetOrCompute_SecondCall_ReadsTheFileAndReturnsTheSameFeatures()
    {
        var pixels = Pixels(seed: 1);
        var first = Run(pixels);
        var second = Run(pixels);
        Assert.StartsWith("scatter cache: computed", log[0]);
        Assert.StartsWith("scatter cache: hit", log[1]);
        Assert.Equal(first, second);
        Assert.Equal(Direct(pixels), first);
    }

    [Fact]
    public void CacheFilesAndANewCacheFolder_AreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions
        }
        Run(Pixels(seed: 3));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void GetOrCompute_CorruptedPayload_IsRecomputedAndRepaired()
    {
        var pixels = Pixels(seed: 2);
        var expected = Run(pixels);
        var file = Assert.Single(Directory.GetFiles(directory));
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        Assert.Equal(expected, Run(pixels));
        Assert.Contains("payload checksum mismatch", log[1]);
        Run(pixels);
        Assert.StartsWith("scatter cache: hit", log[^1]);
    }

    [Fact]
    public void GetOrCompute_TruncatedFile_IsRecomputed()
    {
        var pixels = Pixels(seed: 3);
        var expected = Run(pixels);
        var file = Assert.Single(Directory.GetFiles(directory));
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100);
        }
        Assert.Equal(expected, Run(pixels));
        Assert.Contains("length", log[1]);
    }

    [Fact]
    public void GetOrCompute_FileOfAnotherKey_IsNotTrusted()
    {
        var (a, b) = (Pixels(seed: 4), Pixels(seed: 5));
        Run(a);
        var fileA = Assert.Single(Directory.GetFiles(directory));
        var pathB = ScatterCache.PathOf(directory, ScatterCache.KeyOf(b, 3, 1, 28, 28, 2, 8));
        File.Copy(fileA, pathB);
        Assert.Equal(Direct(b), Run(b));
        Assert.Contains("key mismatch", log[1]);
    }

    [Fact]
    public void KeyOf_DiffersForOtherPixelsShapesAndSettings()
    {
        var pixels = Pixels(seed: 6);
        var key = ScatterCache.KeyOf(pixels, 3, 1, 28, 28, 2, 8);
        Assert.Equal(key, ScatterCache.KeyOf((float[])pixels.Clone(), 3, 1, 28, 28, 2, 8));
        var changed = (float[])pixels.Clone();
        changed[1234] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(changed[1234]) ^ 1); // one bit
        Assert.NotEqual(key, ScatterCache.KeyOf(changed, 3, 1, 28, 28, 2, 8));
        Assert.NotEqual(key, ScatterCache.KeyOf(pixels, 3, 1, 28, 28, 3, 8));
        Assert.NotEqual(key, ScatterCache.KeyOf(pixels, 3, 1, 28, 28, 2, 6));
        Assert.NotEqual(key, ScatterCache.KeyOf(pixels, 3, 1, 14, 56, 2, 8));
    }

    [Fact]
    public void GetOrCompute_LeavesNoTemporaryFiles()
    {
        Run(Pixels(seed: 7));
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.EndsWith(".bin", file);
        Assert.Matches("scatter-[0-9a-f]{64}\\.bin$", file);
    }

    [Fact]
    public void DefaultDirectory_PrefersXdgCacheHome()
    {
        Assert.Equal(Path.Combine("/x/cache", "obscura"), ScatterCache.DefaultDirectory("/x/cache", "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".cache", "obscura"), ScatterCache.DefaultDirectory(null, "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".cache", "obscura"), ScatterCache.DefaultDirectory("", "/home/u"));
    }

    private float[] Run(float[] pixels) => ScatterCache.GetOrCompute(pixels, 3, 1, 28, 28, directory, log.Add);

    private static float[] Direct(float[] pixels)
    {
        var features = new Tensor(0);
        new ScatterNet(1, 28, 28).Transform(Tensor.FromArray(pixels, 3, 1, 28, 28), features);
        return features.Span.ToArray();
    }

    private static float[] Pixels(int seed) => ScatterNetPropertyTests.Blobs(3, 1, 28, 28, seed).Span.ToArray();
}
