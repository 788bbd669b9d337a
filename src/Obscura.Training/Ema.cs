using Obscura.Nn;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Training;

/// <summary>
/// Exponential moving average of the weights (De et al. 2022): e ← d_t·e + (1 − d_t)·w after each
/// step, with the warm-up d_t = min(d, (1 + t)/(10 + t)) so early averages are not dominated by
/// the initial weights. Post-processing of released weights: it costs no privacy.
/// </summary>
public sealed class Ema
{
    private readonly IReadOnlyList<Parameter> parameters;

    public Ema(IReadOnlyList<Parameter> parameters, double decay)
    {
        if (!(decay >= 0 && decay < 1))
        {
            throw new ArgumentException($"--ema-decay must be in [0, 1), got {decay}.");
        }
        this.parameters = parameters;
        Decay = decay;
        Shadow = parameters.Select(p => new Parameter(p.Name, p.Value.Clone())).ToList();
    }

    public double Decay { get; }

    /// <summary>The averaged weights, one per model parameter, same names.</summary>
    public IReadOnlyList<Parameter> Shadow { get; }

    /// <summary>Folds the current weights in; <paramref name="step"/> counts from 0.</summary>
    public void Update(long step)
    {
        var d = (float)Math.Min(Decay, (1.0 + step) / (10.0 + step));
        for (var i = 0; i < parameters.Count; i++)
        {
            if (!parameters[i].Trainable)
            {
                continue; // frozen: its average is its value, kept exact
            }
            var e = Shadow[i].Value.Span;
            TensorPrimitives.Multiply(e, d, e);
            TensorPrimitives.MultiplyAdd(parameters[i].Value.Span, 1 - d, e, e);
        }
    }

    /// <summary>Swaps model weights and averaged weights (call twice to swap back).</summary>
    public void Swap()
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            var w = parameters[i].Value.Span;
            var e = Shadow[i].Value.Span;
            var tmp = new float[w.Length];
            w.CopyTo(tmp);
            e.CopyTo(w);
            tmp.CopyTo(e);
        }
    }

    /// <summary>Copies the model's current weights into the average (start of a run).</summary>
    public void Reset()
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value.Span.CopyTo(Shadow[i].Value.Span);
        }
    }
}
