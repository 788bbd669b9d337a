namespace Obscura.Tensors;

/// <summary>
/// A float32 tensor over managed memory, row-major (NCHW for images).
/// The backing array may be longer than <see cref="Length"/>: <see cref="Resize"/> reuses it when it
/// is large enough, so a layer can keep one buffer alive across steps whose batch size varies
/// (Poisson sampling) without allocating. Always go through <see cref="Span"/>, never
/// <see cref="Data"/>.Length.
/// </summary>
public sealed class Tensor
{
    private float[] data;
    private int[] shape;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        this.shape = (int[])shape.Clone();
        Length = CountOf(shape);
        data = new float[Length];
    }

    private Tensor(float[] data, int[] shape, int length)
    {
        this.data = data;
        this.shape = shape;
        Length = length;
    }

    /// <summary>Wraps <paramref name="values"/> (not copied) with the given shape.</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        var length = CountOf(shape);
        if (values.Length < length)
        {
            throw new ArgumentException($"Tensor.FromArray: shape [{string.Join(", ", shape)}] needs {length} values, got {values.Length}.");
        }
        return new Tensor(values, (int[])shape.Clone(), length);
    }

    /// <summary>The backing array; only the first <see cref="Length"/> values belong to the tensor.</summary>
    public float[] Data => data;

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements (product of the dimensions).</summary>
    public int Length { get; private set; }

    /// <summary>The tensor's elements.</summary>
    public Span<float> Span => data.AsSpan(0, Length);

    /// <summary>Size of dimension <paramref name="axis"/>.</summary>
    public int Dim(int axis) => shape[axis];

    /// <summary>Elements per item of the leading (batch) dimension.</summary>
    public int ItemLength => shape.Length == 0 || shape[0] == 0 ? 0 : Length / shape[0];

    /// <summary>The elements of batch item <paramref name="n"/>.</summary>
    public Span<float> Item(int n)
    {
        var size = ItemLength;
        return data.AsSpan(n * size, size);
    }

    /// <summary>
    /// Gives the tensor a new shape, keeping the backing array when it is large enough (contents
    /// are then unspecified) and allocating a larger one otherwise (grow-only, never shrinks).
    /// </summary>
    public Tensor Resize(params int[] newShape)
    {
        var length = CountOf(newShape);
        if (length > data.Length)
        {
            data = new float[length];
        }
        shape = (int[])newShape.Clone();
        Length = length;
        return this;
    }

    /// <summary>A view with another shape of the same length over the same memory.</summary>
    public Tensor Reshape(params int[] newShape)
    {
        var length = CountOf(newShape);
        if (length != Length)
        {
            throw new ArgumentException($"Tensor.Reshape: cannot view [{string.Join(", ", shape)}] ({Length} values) as [{string.Join(", ", newShape)}] ({length} values).");
        }
        return new Tensor(data, (int[])newShape.Clone(), length);
    }

    /// <summary>True when the shapes are equal.</summary>
    public bool HasShape(ReadOnlySpan<int> other) => Shape.SequenceEqual(other);

    /// <summary>A deep copy with its own exact-size array.</summary>
    public Tensor Clone() => new(Span.ToArray(), (int[])shape.Clone(), Length);

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>"[2, 3, 4]".</summary>
    public string ShapeText => "[" + string.Join(", ", shape) + "]";

    public override string ToString() => $"Tensor{ShapeText}";

    /// <summary>Number of elements of a shape; rejects negative dimensions and overflow.</summary>
    public static int CountOf(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.");
            }
            count *= d;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape.ToArray())}] is too large for one array.");
            }
        }
        return (int)count;
    }
}
