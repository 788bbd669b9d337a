namespace Obscura.Nn.Scattering;

/// <summary>
/// The scattering transforms a whitened head reads, one <see cref="ScatterNet"/> per scale J, and how
/// their coefficients become one feature vector per example: each scale's coefficients compressed and
/// GroupNorm'd on their own (<see cref="ScatterWhitening.Normalise"/>, 3 maps per group: 27 groups at
/// J = 2, 3 at J = 1), then concatenated in the order of the scales. Every step acts on one example alone.
/// </summary>
/// <remarks>
/// J = 2 alone is Tramèr and Boneh's front end (81 maps of 7×7 for 28×28 images). Adding J = 1 keeps its
/// 9 maps at 14×14, twice the spatial resolution of the first-order coefficients, and raised the whitened
/// linear head on the validation split (BENCHMARKS.md, "multi-scale").
/// </remarks>
public sealed class ScatterScales
{
    /// <summary>The scattering transforms for images of [channels, height, width] at the scales <paramref name="js"/>.</summary>
    /// <exception cref="ArgumentException">No scale, a repeated one, or one whose maps per channel do not split into groups of 3.</exception>
    public ScatterScales(int channels, int height, int width, IReadOnlyList<int> js)
    {
        if (js.Count == 0 || js.Distinct().Count() != js.Count)
        {
            throw new ArgumentException($"ScatterScales: need one or more distinct scales J, got [{string.Join(", ", js)}].");
        }
        Nets = js.Select(j => new ScatterNet(channels, height, width, j)).ToArray();
        foreach (var net in Nets)
        {
            if (net.PathsPerChannel % MapsPerGroup != 0)
            {
                throw new ArgumentException($"ScatterScales: J = {net.J} gives {net.PathsPerChannel} maps per channel, which do not split into GroupNorm groups of {MapsPerGroup}.");
            }
        }
        FeatureLength = Nets.Sum(net => net.FeatureLength);
    }

    /// <summary>Maps of one channel per GroupNorm group: 81 / 3 = Tramèr and Boneh's 27 groups at J = 2.</summary>
    public const int MapsPerGroup = 3;

    /// <summary>One transform per scale, in the order of the concatenated features.</summary>
    public IReadOnlyList<ScatterNet> Nets { get; }

    /// <summary>Features per example after concatenation.</summary>
    public int FeatureLength { get; }

    /// <summary>
    /// The normalised features [count, <see cref="FeatureLength"/>] of <paramref name="count"/> examples from
    /// their raw coefficients at each scale (<paramref name="raw"/>[s]: [count, Nets[s].FeatureLength]).
    /// </summary>
    public float[] Normalise(IReadOnlyList<float[]> raw, int count)
    {
        if (raw.Count != Nets.Count)
        {
            throw new ArgumentException($"ScatterScales: {Nets.Count} scales need as many coefficient arrays, got {raw.Count}.");
        }
        var output = new float[checked(count * FeatureLength)];
        var offset = 0;
        for (var s = 0; s < Nets.Count; s++)
        {
            var net = Nets[s];
            var length = net.FeatureLength;
            var normalised = ScatterWhitening.Normalise(raw[s], count, net.OutputShape, net.PathsPerChannel / MapsPerGroup);
            for (var i = 0; i < count; i++)
            {
                normalised.AsSpan(i * length, length).CopyTo(output.AsSpan(i * FeatureLength + offset, length));
            }
            offset += length;
        }
        return output;
    }

    /// <summary>The normalised features of <paramref name="count"/> images [count, C, H, W], scattered here (no cache).</summary>
    public float[] Transform(float[] pixels, int count) =>
        Normalise(Nets.Select(net =>
        {
            var features = new float[checked(count * net.FeatureLength)];
            net.Transform(pixels, count, features);
            return features;
        }).ToArray(), count);
}
