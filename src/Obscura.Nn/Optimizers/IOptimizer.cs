using Obscura.Tensors;

namespace Obscura.Nn.Optimizers;

/// <summary>
/// Updates parameters from their <see cref="Parameter.Grad"/>. Step neither clears nor rescales
/// gradients (the training loop does, after clipping and noise). Parameters with
/// <see cref="Parameter.Trainable"/> false are left alone.
/// </summary>
public interface IOptimizer
{
    /// <summary>Applies one update to every trainable parameter.</summary>
    void Step();

    /// <summary>The learning rate used by the next <see cref="Step"/> (schedules set it per step).</summary>
    float LearningRate { get; set; }

    /// <summary>
    /// The optimizer's live state buffers by name, for checkpoints: saving them and copying saved
    /// values back into them (same names and shapes) resumes the optimizer exactly.
    /// </summary>
    IReadOnlyList<(string Name, Tensor Value)> State { get; }
}
