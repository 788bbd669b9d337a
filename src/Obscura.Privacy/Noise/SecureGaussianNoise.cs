using System.Collections.Concurrent;
using Obscura.Privacy.Randomness;

namespace Obscura.Privacy.Noise;

/// <summary>
/// Gaussian noise for private runs: the discrete Gaussian mechanism on a fine grid, with bits
/// from the operating system's cryptographic generator. The construction follows OpenDP's
/// Gaussian mechanism for floating-point data (sample_discrete_gaussian_Z2k: round the input to
/// the grid, add exact discrete Gaussian noise, convert back), built on the exact sampler of
/// Canonne, Kamath and Steinke 2020; see docs/noise.md for the privacy statement.
/// </summary>
/// <remarks>
/// <para><b>Exact output.</b> With σ the requested standard deviation, k = <see cref="GridBits"/>
/// and grid step h = σ·2^-k, each coordinate x becomes float(h·(round(x/h) + Z)) with
/// Z ~ D_{ℤ, 2^k} independent per coordinate and per call (round = round half to even on the
/// double x·(2^k/σ)). The noise h·Z is a discrete Gaussian on the grid hℤ with scale σ; its
/// variance is below σ² by a relative amount of at most 4π²s²/(e^(2π²s²) − 1) with s = 2^k
/// (Canonne, Kamath and Steinke 2020), which is under 10^-1000 for k ≥ 4.</para>
/// <para><b>Why not Box–Muller on doubles.</b> Floating-point Gaussian samplers produce values
/// whose low-order bits and support depend on the un-noised input, which Mironov (2012) used to
/// recover it. Here the noise is an exact integer draw and the input is rounded to the grid
/// first, so the output support is the same lattice for every input: all remaining effects of
/// floating point are deterministic pre- or post-processing.</para>
/// <para><b>Accounting slack.</b> Rounding can move each coordinate by half a grid step, so the
/// L2 sensitivity in grid units is at most C/h + √d for a d-dimensional sum of clip norm C.
/// Account with <see cref="EffectiveNoiseMultiplier"/> to include this (a relative change of
/// about z·√d·2^-k: 1.3e-6 for z = 4, d = 10^6, k = 32).</para>
/// <para><b>Speed.</b> Noise integers are drawn in parallel chunks (short vectors: one balanced
/// chunk per worker, at least 4,096 coordinates each; long vectors: 16,384 each), each worker with its own
/// <see cref="CryptoRandomSource"/>; the input is then rounded and noised in one sequential pass.</para>
/// </remarks>
public sealed class SecureGaussianNoise : IGaussianNoise
{
    /// <summary>Default k: grid step σ·2^-32.</summary>
    public const int DefaultGridBits = 32;

    private const int MinChunkLength = 4 * 1024;
    private const int ChunkLength = 16 * 1024;

    private readonly ConcurrentBag<DiscreteGaussianSampler> _samplers = [];
    private readonly int _maxDegreeOfParallelism;
    private long[] _noise = [];

    /// <summary>Creates a secure noise source.</summary>
    /// <param name="gridBits">k, in [<see cref="DiscreteGaussianSampler.MinGridBits"/>, <see cref="DiscreteGaussianSampler.MaxGridBits"/>].
    /// Larger k shrinks the rounding slack but limits inputs to |x| &lt; 2^(62-k)·σ.</param>
    /// <param name="maxDegreeOfParallelism">Worker count; -1 for all cores.</param>
    public SecureGaussianNoise(int gridBits = DefaultGridBits, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridBits, DiscreteGaussianSampler.MinGridBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gridBits, DiscreteGaussianSampler.MaxGridBits);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                "SecureGaussianNoise: degree of parallelism must be -1 (all cores) or at least 1.");
        }
        GridBits = gridBits;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>k: noise lives on the grid σ·2^-k·ℤ.</summary>
    public int GridBits { get; }

    /// <inheritdoc/>
    public bool IsCryptographicallySecure => true;

    /// <summary>
    /// The noise multiplier to give the accountant so the rounding to the grid is covered:
    /// z_eff = z / (1 + z·√d·2^-k), from sensitivity C/h + √d in units of the grid step h = zC·2^-k.
    /// </summary>
    /// <param name="noiseMultiplier">z = σ / C, &gt; 0.</param>
    /// <param name="dimension">d, the number of noised coordinates.</param>
    /// <param name="gridBits">k.</param>
    public static double EffectiveNoiseMultiplier(double noiseMultiplier, long dimension, int gridBits = DefaultGridBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noiseMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        return noiseMultiplier / (1 + noiseMultiplier * Math.Sqrt(dimension) * Math.ScaleB(1.0, -gridBits));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A coordinate is not finite or |x| ≥ 2^(62-k)·σ.</exception>
    public void AddNoise(Span<float> destination, double standardDeviation)
    {
        NoiseArguments.CheckStandardDeviation(standardDeviation, nameof(SecureGaussianNoise));
        int length = destination.Length;
        if (length == 0)
        {
            return;
        }
        double toGrid = Math.ScaleB(1.0, GridBits) / standardDeviation;
        double step = standardDeviation * Math.ScaleB(1.0, -GridBits);
        double limit = Math.ScaleB(1.0, 62);
        // Check the input before spending randomness on it.
        for (int i = 0; i < length; i++)
        {
            double scaled = destination[i] * toGrid;
            if (!(Math.Abs(scaled) < limit))
            {
                throw new ArgumentException(
                    $"SecureGaussianNoise.AddNoise: coordinate {i} is {destination[i]}, expected finite with |x| < 2^{62 - GridBits}·σ = {limit / toGrid}.",
                    nameof(destination));
            }
        }

        if (_noise.Length < length)
        {
            _noise = new long[length];
        }
        long[] noise = _noise;
        // Short vectors: balanced chunks, one per worker, each at least MinChunkLength long (a few
        // thousand coordinates are drawn inline, a 26k-coordinate gradient in two equal halves).
        int workers = _maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : _maxDegreeOfParallelism;
        // Long vectors go in many 16k chunks so a worker slowed by other load is balanced out.
        int chunks = length >= workers * ChunkLength
            ? (length + ChunkLength - 1) / ChunkLength
            : Math.Max(1, Math.Min(workers, length / MinChunkLength));
        if (chunks == 1)
        {
            FillChunk(noise.AsSpan(0, length));
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(workers, chunks) };
            Parallel.For(0, chunks, options, chunk =>
            {
                int start = (int)((long)length * chunk / chunks);
                int end = (int)((long)length * (chunk + 1) / chunks);
                FillChunk(noise.AsSpan(start, end - start));
            });
        }

        for (int i = 0; i < length; i++)
        {
            long onGrid = (long)Math.Round(destination[i] * toGrid) + noise[i];
            destination[i] = (float)(onGrid * step);
        }
        // Do not leave the noise lying around for a later disclosure to subtract.
        Array.Clear(noise, 0, length);
    }

    // Draws one chunk with a sampler (and its own CryptoRandomSource) rented for this worker only.
    private void FillChunk(Span<long> destination)
    {
        DiscreteGaussianSampler sampler = RentSampler();
        sampler.Fill(destination);
        _samplers.Add(sampler);
    }

    private DiscreteGaussianSampler RentSampler() =>
        _samplers.TryTake(out DiscreteGaussianSampler? sampler)
            ? sampler
            : new DiscreteGaussianSampler(GridBits, new CryptoRandomSource());
}
