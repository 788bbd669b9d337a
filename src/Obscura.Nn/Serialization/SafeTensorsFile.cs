using Obscura.Tensors;

namespace Obscura.Nn.Serialization;

/// <summary>The contents of a safetensors file: named float32 tensors (file order) and the metadata map.</summary>
public sealed record SafeTensorsFile(
    IReadOnlyList<(string Name, Tensor Value)> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public Tensor? Find(string name)
    {
        foreach (var (n, value) in Tensors)
        {
            if (n == name)
            {
                return value;
            }
        }
        return null;
    }
}
