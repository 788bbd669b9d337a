namespace Obscura.Training;

/// <summary>
/// A named, documented set of hyperparameters for one model (<c>--recipe</c>): each field has a
/// source, and every flag overrides its field. Private and non-private runs have their own values.
/// </summary>
/// <param name="Name">The recipe's name (<c>--recipe</c>).</param>
/// <param name="Model">The architecture it trains (<see cref="Nn.Models.ModelZoo"/>).</param>
/// <param name="Source">Where the values come from and how they were chosen.</param>
/// <param name="PerImageStandardisation">Each image standardised by its own mean and std (<see cref="TrainConfig.PerImageStandardisation"/>).</param>
/// <param name="AverageViews">Predictions averaged over six views of each image (<see cref="TrainConfig.AverageViews"/>).</param>
public sealed record Recipe(
    string Name,
    string Model,
    int BatchSize,
    double Epochs,
    OptimizerConfig Optimizer,
    double ClipNorm,
    int Augmult,
    double EmaDecay,
    int PhysicalBatch,
    string Source,
    bool PerImageStandardisation = false,
    bool AverageViews = false);
