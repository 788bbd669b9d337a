namespace Obscura.Privacy.Noise;

internal static class NoiseArguments
{
    public static void CheckStandardDeviation(double standardDeviation, string source)
    {
        if (!(standardDeviation > 0 && double.IsFinite(standardDeviation)))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation,
                $"{source}.AddNoise: standard deviation must be finite and > 0.");
        }
    }
}
