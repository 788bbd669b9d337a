namespace Obscura.Nn.Scattering;

/// <summary>A fixed map of normalised ScatterNet features, estimated without training data.</summary>
public interface IFixedFeatureMap
{
    /// <summary>Features per example in.</summary>
    int InputLength { get; }

    /// <summary>Features per example out.</summary>
    int Length { get; }

    /// <summary>Maps <paramref name="count"/> rows [count, <see cref="InputLength"/>] to [count, <see cref="Length"/>].</summary>
    float[] Apply(float[] normalised, int count);
}
