using Obscura.Tensors;

namespace Obscura.Nn;

/// <summary>
/// A trainable tensor and its gradient buffer (same shape). Gradients accumulate with +=; the
/// training loop clears them between steps. <see cref="Trainable"/> false freezes it (fine-tuning).
/// </summary>
public sealed class Parameter(string name, Tensor value)
{
    /// <summary>Dotted name, unique within a model ("conv1.weight"); the safetensors key.</summary>
    public string Name { get; set; } = name;

    public Tensor Value { get; } = value;

    public Tensor Grad { get; } = new(value.Shape.ToArray());

    public bool Trainable { get; set; } = true;

    public int Length => Value.Length;

    public override string ToString() => $"{Name}{Value.ShapeText}";
}
