using Obscura.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum μ, L2 weight decay λ and optional Nesterov momentum,
/// as in PyTorch (no dampening). Per parameter p with gradient g:
///   g ← g + λ p;  v ← μ v + g  (v starts at 0);  p ← p − η (g + μ v if Nesterov, else v).
/// With μ = 0 this is plain SGD. State: "{parameter}.momentum" per parameter (absent when μ = 0).
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] velocity;
    private readonly Tensor work = new(0);

    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false)
    {
        if (!(learningRate >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0))
        {
            throw new ArgumentException($"Sgd: need learning rate ≥ 0, 0 ≤ momentum < 1 and weight decay ≥ 0, got {learningRate}, {momentum}, {weightDecay}.");
        }
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Sgd: Nesterov needs a positive momentum.");
        }
        this.parameters = parameters.Where(p => p.Trainable).ToArray();
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        velocity = momentum > 0 ? this.parameters.Select(p => new Tensor(p.Value.Shape.ToArray())).ToArray() : [];
        State = velocity.Select((v, i) => (this.parameters[i].Name + ".momentum", v)).ToArray();
    }

    public float LearningRate { get; set; }
    public float Momentum { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }
    public IReadOnlyList<(string Name, Tensor Value)> State { get; }

    public void Step()
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (!p.Trainable)
            {
                continue;
            }
            var value = p.Value.Span;
            work.Resize(p.Length);
            var g = work.Span;
            // g = grad + λ p
            TensorPrimitives.MultiplyAdd(value, WeightDecay, p.Grad.Span, g);
            Span<float> update = g;
            if (Momentum > 0)
            {
                var v = velocity[i].Span;
                TensorPrimitives.MultiplyAdd(v, Momentum, g, v);
                if (Nesterov)
                {
                    TensorPrimitives.MultiplyAdd(v, Momentum, g, g);
                }
                else
                {
                    update = v;
                }
            }
            TensorPrimitives.MultiplyAdd(update, -LearningRate, value, value);
        }
    }
}
