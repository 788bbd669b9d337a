namespace Obscura.Nn.Serialization;

public static partial class SafeTensors
{
    /// <summary>Saves every parameter of <paramref name="model"/> under its <see cref="Parameter.Name"/>.</summary>
    public static void SaveParameters(string path, Layer model, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, model.AllParameters().Select(p => (p.Name, p.Value)), metadata);

    /// <summary>
    /// Loads the model's parameters (those selected by <paramref name="include"/>, all by default,
    /// e.g. all but a new head when fine-tuning) by name. A missing tensor or a shape mismatch
    /// throws, naming the tensor and both shapes, and changes nothing. Returns the file's tensors
    /// that were not used.
    /// </summary>
    public static IReadOnlyList<string> LoadParameters(string path, Layer model, Func<Parameter, bool>? include = null) =>
        LoadInto(path, model.AllParameters().Where(p => include?.Invoke(p) ?? true).Select(p => (p.Name, p.Value)));
}
