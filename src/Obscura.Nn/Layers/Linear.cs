using Obscura.Tensors;
using Obscura.Tensors.Blas;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Layers;

/// <summary>
/// y = x Wᵀ + b. x: [N, in], W: [out, in], b: [out], y: [N, out].
/// Per-example rule (DESIGN.md §4 with T = views): G_i = D_iᵀ X_i; ghost norm
/// ‖G_i‖² = ⟨X_i X_iᵀ, D_i D_iᵀ⟩ (cost K²(in + out)), bias gradient = column sums of D_i.
/// </summary>
public sealed class Linear : Layer, IGradientSource
{
    private readonly Tensor output = new(0);
    private readonly Tensor inputGrad = new(0);
    private readonly Tensor scaledGrad = new(0);
    private Tensor? input;   // forward cache: x
    private Tensor? outputGrad; // backward cache: dy

    public Linear(int inFeatures, int outFeatures, Random rng)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter("weight", new Tensor(outFeatures, inFeatures));
        Bias = new Parameter("bias", new Tensor(outFeatures));
        Init.Uniform(Weight.Value.Span, inFeatures, rng);
        Init.Uniform(Bias.Value.Span, inFeatures, rng);
        Parameters = [Weight, Bias];
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public override IEnumerable<Parameter> OwnParameters => Parameters;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 1 || inputShape[0] != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures}→{OutFeatures}): input items must be [{InFeatures}], got [{string.Join(", ", inputShape.ToArray())}].");
        }
        return [OutFeatures];
    }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures}→{OutFeatures}): input must be [N, {InFeatures}], got {x.ShapeText}.");
        }
        input = x;
        var n = x.Dim(0);
        output.Resize(n, OutFeatures);
        var y = output.Span;
        var b = Bias.Value.Span;
        for (var r = 0; r < n; r++)
        {
            b.CopyTo(y.Slice(r * OutFeatures, OutFeatures));
        }
        Gemm.Sgemm(false, true, n, OutFeatures, InFeatures, 1f, x.Span, InFeatures, Weight.Value.Span, InFeatures, 1f, y, OutFeatures);
        return output;
    }

    public override Tensor Backward(Tensor dy)
    {
        var x = input ?? throw new InvalidOperationException("Linear.Backward called before Forward.");
        outputGrad = dy;
        var n = x.Dim(0);
        inputGrad.Resize(n, InFeatures);
        if (NeedsInputGradient)
        {
            Gemm.Sgemm(false, false, n, InFeatures, OutFeatures, 1f, dy.Span, OutFeatures, Weight.Value.Span, InFeatures, 0f, inputGrad.Span, InFeatures);
        }
        return inputGrad;
    }

    public void AccumulateGradients(ReadOnlySpan<float> exampleScale, int views)
    {
        var (x, dy) = Cached();
        var n = x.Dim(0);
        var d = exampleScale.IsEmpty ? dy.Span : Scaled(dy, exampleScale, views);
        Gemm.Sgemm(true, false, OutFeatures, InFeatures, n, 1f, d, OutFeatures, x.Span, InFeatures, 1f, Weight.Grad.Span, InFeatures);
        var bg = Bias.Grad.Span;
        for (var r = 0; r < n; r++)
        {
            TensorPrimitives.Add(bg, d.Slice(r * OutFeatures, OutFeatures), bg);
        }
    }

    public void AddSquaredNorms(Span<double> squaredNorms, int views, NormMethod method)
    {
        var (x, dy) = Cached();
        var examples = x.Dim(0) / views;
        var xs = x.Span;
        var ds = dy.Span;
        // Ghost under Auto when it is less work: K²(in + out) against K·in·out.
        var useGhost = method == NormMethod.Ghost || (method == NormMethod.Auto && (long)views * (InFeatures + OutFeatures) < (long)InFeatures * OutFeatures);
        var weightGrad = useGhost ? [] : new float[OutFeatures * InFeatures];
        var biasGrad = new float[OutFeatures];
        for (var i = 0; i < examples; i++)
        {
            var r0 = i * views;
            double sum = 0;
            if (useGhost)
            {
                for (var a = 0; a < views; a++)
                {
                    for (var b = 0; b < views; b++)
                    {
                        double xx = TensorPrimitives.Dot(xs.Slice((r0 + a) * InFeatures, InFeatures), xs.Slice((r0 + b) * InFeatures, InFeatures));
                        double dd = TensorPrimitives.Dot(ds.Slice((r0 + a) * OutFeatures, OutFeatures), ds.Slice((r0 + b) * OutFeatures, OutFeatures));
                        sum += xx * dd;
                    }
                }
            }
            else
            {
                Gemm.Sgemm(true, false, OutFeatures, InFeatures, views, 1f, ds.Slice(r0 * OutFeatures), OutFeatures, xs.Slice(r0 * InFeatures), InFeatures, 0f, weightGrad, InFeatures);
                sum += TensorPrimitives.Dot<float>(weightGrad, weightGrad);
            }
            Array.Clear(biasGrad);
            for (var a = 0; a < views; a++)
            {
                TensorPrimitives.Add(biasGrad, ds.Slice((r0 + a) * OutFeatures, OutFeatures), biasGrad);
            }
            sum += TensorPrimitives.Dot<float>(biasGrad, biasGrad);
            squaredNorms[i] += sum;
        }
    }

    public void PerExampleGradients(Span<float> destination, int views)
    {
        var (x, dy) = Cached();
        var examples = x.Dim(0) / views;
        var total = OutFeatures * InFeatures + OutFeatures;
        for (var i = 0; i < examples; i++)
        {
            var row = destination.Slice(i * total, total);
            var r0 = i * views;
            Gemm.Sgemm(true, false, OutFeatures, InFeatures, views, 1f, dy.Span.Slice(r0 * OutFeatures), OutFeatures, x.Span.Slice(r0 * InFeatures), InFeatures, 0f, row, InFeatures);
            var bias = row.Slice(OutFeatures * InFeatures);
            bias.Clear();
            for (var a = 0; a < views; a++)
            {
                TensorPrimitives.Add(bias, dy.Span.Slice((r0 + a) * OutFeatures, OutFeatures), bias);
            }
        }
    }

    private (Tensor X, Tensor Dy) Cached() =>
        (input ?? throw new InvalidOperationException("Linear: no Forward yet."),
         outputGrad ?? throw new InvalidOperationException("Linear: no Backward yet."));

    // Rows of dy scaled by their example's factor: S·D in DESIGN.md §4.
    private Span<float> Scaled(Tensor dy, ReadOnlySpan<float> exampleScale, int views)
    {
        var n = dy.Dim(0);
        scaledGrad.Resize(n, OutFeatures);
        var src = dy.Span;
        var dst = scaledGrad.Span;
        for (var r = 0; r < n; r++)
        {
            TensorPrimitives.Multiply(src.Slice(r * OutFeatures, OutFeatures), exampleScale[r / views], dst.Slice(r * OutFeatures, OutFeatures));
        }
        return dst;
    }
}
