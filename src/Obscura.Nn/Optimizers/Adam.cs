using Obscura.Tensors;

namespace Obscura.Nn.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) with L2 weight decay λ added to the gradient, as PyTorch's Adam (not
/// AdamW). At step t = 1, 2, … for parameter p with gradient g:
///   g ← g + λ p;  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;
///   p ← p − η (m / (1 − β1ᵗ)) / (sqrt(v / (1 − β2ᵗ)) + ε).
/// State: "{parameter}.m", "{parameter}.v" and "step" (t as a one-element tensor; exact in float32
/// up to 2²⁴ steps).
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] first;
    private readonly Tensor[] second;
    private readonly Tensor step = new(1);

    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
    {
        if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0))
        {
            throw new ArgumentException($"Adam: need learning rate ≥ 0, β1 and β2 in [0, 1), ε > 0 and weight decay ≥ 0, got {learningRate}, {beta1}, {beta2}, {eps}, {weightDecay}.");
        }
        this.parameters = parameters.Where(p => p.Trainable).ToArray();
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        first = this.parameters.Select(p => new Tensor(p.Value.Shape.ToArray())).ToArray();
        second = this.parameters.Select(p => new Tensor(p.Value.Shape.ToArray())).ToArray();
        var state = new List<(string, Tensor)> { ("step", step) };
        for (var i = 0; i < this.parameters.Length; i++)
        {
            state.Add((this.parameters[i].Name + ".m", first[i]));
            state.Add((this.parameters[i].Name + ".v", second[i]));
        }
        State = state;
    }

    public float LearningRate { get; set; }
    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public float WeightDecay { get; }

    /// <summary>Steps taken so far (t of the last step).</summary>
    public int Steps => (int)step.Span[0];

    public IReadOnlyList<(string Name, Tensor Value)> State { get; }

    public void Step()
    {
        var t = Steps + 1;
        step.Span[0] = t;
        var correction1 = 1 - Math.Pow(Beta1, t);
        var correction2 = 1 - Math.Pow(Beta2, t);
        // p −= η/c1 · m / (sqrt(v)/sqrt(c2) + ε)
        var stepSize = (float)(LearningRate / correction1);
        var invSqrtC2 = (float)(1 / Math.Sqrt(correction2));
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (!p.Trainable)
            {
                continue;
            }
            var value = p.Value.Span;
            var grad = p.Grad.Span;
            var m = first[i].Span;
            var v = second[i].Span;
            for (var j = 0; j < value.Length; j++)
            {
                var g = grad[j] + WeightDecay * value[j];
                m[j] = Beta1 * m[j] + (1 - Beta1) * g;
                v[j] = Beta2 * v[j] + (1 - Beta2) * g * g;
                value[j] -= stepSize * m[j] / (MathF.Sqrt(v[j]) * invSqrtC2 + Eps);
            }
        }
    }
}
