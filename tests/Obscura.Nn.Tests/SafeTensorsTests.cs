using System.Buffers.Binary;
using System.Text;
using Obscura.Nn.Layers;
using Obscura.Nn.Optimizers;
using Obscura.Nn.Serialization;
using Obscura.Nn.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Nn.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "obscura-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void SaveThenLoad_TensorsAndMetadata_RoundTripExactly()
    {
        var rng = new Random(50);
        var a = TestData.Random(rng, 2, 3, 4, 5);
        var b = TestData.Random(rng, 7);
        var empty = new Tensor(0, 3);
        var path = Path.Combine(folder, "model.safetensors");
        SafeTensors.Save(path, [("conv.weight", a), ("conv.bias", b), ("empty", empty)], new Dictionary<string, string> { ["recipe"] = "tanh-cnn", ["step"] = "12" });

        var file = SafeTensors.Load(path);
        Assert.Equal(["conv.weight", "conv.bias", "empty"], file.Tensors.Select(t => t.Name));
        Assert.Equal(a.Span.ToArray(), file.Find("conv.weight")!.Span.ToArray());
        Assert.Equal([2, 3, 4, 5], file.Find("conv.weight")!.Shape.ToArray());
        Assert.Equal(b.Span.ToArray(), file.Find("conv.bias")!.Span.ToArray());
        Assert.Equal([0, 3], file.Find("empty")!.Shape.ToArray());
        Assert.Equal("tanh-cnn", file.Metadata["recipe"]);
        Assert.Equal("12", file.Metadata["step"]);
    }

    [Fact]
    public void Load_FileWrittenBytByteFromTheSpecification_IsRead()
    {
        // {"__metadata__":{"k":"v"},"x":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}} then 1.5, −2.
        var path = Write("spec.safetensors", """{"__metadata__":{"k":"v"},"x":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}""", [1.5f, -2f]);
        var file = SafeTensors.Load(path);
        Assert.Equal([1.5f, -2f], file.Find("x")!.Span.ToArray());
        Assert.Equal("v", file.Metadata["k"]);
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(folder, "w.safetensors");
        SafeTensors.Save(path, [("a", Tensor.FromArray([1f], 1))]);
        SafeTensors.Save(path, [("a", Tensor.FromArray([2f, 3f], 2))]);
        Assert.Equal([2f, 3f], SafeTensors.Load(path).Find("a")!.Span.ToArray());
        Assert.Equal(["w.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
        var header = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path));
        Assert.Equal(0UL, header % 8);
    }

    [Fact]
    public void Load_TruncatedFile_IsRejectedNamingTheFile()
    {
        var path = Path.Combine(folder, "cut.safetensors");
        SafeTensors.Save(path, [("a", Tensor.FromArray([1f, 2f, 3f], 3))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        AssertRejected(path, "truncated");
        File.WriteAllBytes(path, bytes[..5]);
        AssertRejected(path, "too few");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]""", "not valid JSON")]
    [InlineData("""[1, 2]""", "not an object")]
    [InlineData("""{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}""", "tensor 'a' has dtype 'F16'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}""", "tensor 'a' has data_offsets [0, 16] outside the 8-byte data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "tensor 'a' has shape [3] (12 bytes)")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "tensor 'a' starts at byte 4, leaving a gap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "tensor 'b' starts at byte 4, overlapping")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "non-negative")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "names 'a' twice")]
    [InlineData("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "not a string")]
    public void Load_CorruptHeader_IsRejectedNamingTheFileAndProblem(string header, string problem)
    {
        var path = Write("bad.safetensors", header, [1f, 2f]);
        AssertRejected(path, problem);
    }

    [Fact]
    public void Load_HeaderLengthBeyondTheFile_IsRejected()
    {
        var path = Path.Combine(folder, "long.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);
        AssertRejected(path, "header length 1000");
    }

    [Fact]
    public void ModelParameters_SavedAndLoadedByName_RoundTrip()
    {
        var rng = new Random(51);
        var model = new Sequential(new Linear(3, 4, rng), new GroupNorm(2, 4), new Tanh(), new Linear(4, 2, rng));
        TestData.RandomiseParameters(model, rng);
        var path = Path.Combine(folder, "m.safetensors");
        SafeTensors.SaveParameters(path, model);

        var copy = new Sequential(new Linear(3, 4, rng), new GroupNorm(2, 4), new Tanh(), new Linear(4, 2, rng));
        var unused = SafeTensors.LoadParameters(path, copy);
        Assert.Empty(unused);
        foreach (var (p, q) in model.AllParameters().Zip(copy.AllParameters()))
        {
            Assert.Equal(p.Value.Span.ToArray(), q.Value.Span.ToArray());
        }
    }

    [Fact]
    public void LoadParameters_ShapeMismatch_NamesTensorAndBothShapesAndChangesNothing()
    {
        var rng = new Random(52);
        var path = Path.Combine(folder, "m.safetensors");
        SafeTensors.SaveParameters(path, new Sequential(new Linear(3, 4, rng), new Linear(4, 2, rng)));
        var other = new Sequential(new Linear(3, 4, rng), new Linear(4, 5, rng));
        var before = other.AllParameters().First().Value.Span.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadParameters(path, other));
        Assert.Contains(path, error.Message);
        Assert.Contains("'1.weight'", error.Message);
        Assert.Contains("[2, 4]", error.Message);
        Assert.Contains("[5, 4]", error.Message);
        Assert.Equal(before, other.AllParameters().First().Value.Span.ToArray());

        var partial = SafeTensors.LoadParameters(path, other, p => p.Name.StartsWith("0.", StringComparison.Ordinal));
        Assert.Equal(["1.weight", "1.bias"], partial);
    }

    [Fact]
    public void OptimizerState_SavedAndLoadedIntoAFreshAdam_ResumesExactly()
    {
        var rng = new Random(54);
        var model = new Linear(3, 2, rng);
        var adam = new Adam(model.Parameters, learningRate: 0.01f);
        foreach (var p in model.Parameters)
        {
            TestData.Fill(rng, p.Grad.Span);
        }
        adam.Step();
        var weights = Path.Combine(folder, "weights.safetensors");
        var state = Path.Combine(folder, "optimizer.safetensors");
        SafeTensors.SaveParameters(weights, model);
        SafeTensors.Save(state, adam.State);

        var copy = new Linear(3, 2, rng);
        var resumed = new Adam(copy.Parameters, learningRate: 0.01f);
        SafeTensors.LoadParameters(weights, copy);
        Assert.Empty(SafeTensors.LoadInto(state, resumed.State));
        Assert.Equal(1, resumed.Steps);
        foreach (var (p, q) in model.Parameters.Zip(copy.Parameters))
        {
            p.Grad.Span.CopyTo(q.Grad.Span);
        }
        adam.Step();
        resumed.Step();
        Assert.Equal(model.Weight.Value.Span.ToArray(), copy.Weight.Value.Span.ToArray());
    }

    [Fact]
    public void LoadParameters_MissingTensor_NamesIt()
    {
        var rng = new Random(53);
        var path = Path.Combine(folder, "m.safetensors");
        SafeTensors.SaveParameters(path, new Sequential(new Linear(3, 4, rng)));
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadParameters(path, new Sequential(new Linear(3, 4, rng), new Linear(4, 2, rng))));
        Assert.Contains("no tensor '1.weight'", error.Message);
    }

    private string Write(string name, string header, float[] data)
    {
        var path = Path.Combine(folder, name);
        var json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var v in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
        return path;
    }

    private static InvalidDataException AssertRejected(string path, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
        return error;
    }
}
