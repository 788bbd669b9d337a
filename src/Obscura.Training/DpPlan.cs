using Obscura.Nn;
using Obscura.Privacy;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;
using Obscura.Privacy.Sampling;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Training;

/// <summary>
/// The one object that couples what runs with what is accounted (DESIGN.md §2): built from the
/// privacy config and the dataset size, it yields together the Poisson sampler (rate q), the clip
/// norm C, the noise source (std σ·C) and the accounting event (Poisson-subsampled Gaussian with
/// the same q and σ, T times). Nothing else in training chooses any of these.
/// </summary>
public sealed class DpPlan
{
    private DpPlan(PrivacyConfig config, int datasetSize, int batchSize, long steps, double noiseMultiplier,
        double accountedNoiseMultiplier, IRandomSource samplingSource, IGaussianNoise noise)
    {
        AccountedNoiseMultiplier = accountedNoiseMultiplier;
        Config = config;
        DatasetSize = datasetSize;
        ExpectedBatchSize = batchSize;
        SamplingRate = (double)batchSize / datasetSize;
        Steps = steps;
        NoiseMultiplier = noiseMultiplier;
        Sampler = new PoissonSampler(datasetSize, SamplingRate, samplingSource);
        Noise = noise;
    }

    private float[] flat = [];

    public PrivacyConfig Config { get; }
    public int DatasetSize { get; }
    public int ExpectedBatchSize { get; }

    /// <summary>q = B/N, the probability that each example is in a step's batch.</summary>
    public double SamplingRate { get; }

    /// <summary>T, the planned number of steps.</summary>
    public long Steps { get; }

    /// <summary>σ, calibrated (PLD) from the target ε or given explicitly: the noise std is σ·C.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>
    /// The σ the accountant is given: σ itself for continuous Gaussian noise, and for the secure
    /// sampler (noise on a fine grid) the slightly smaller effective σ that covers its rounding
    /// (<see cref="SecureGaussianNoise.EffectiveNoiseMultiplier"/>; a relative change near 1e-6).
    /// </summary>
    public double AccountedNoiseMultiplier { get; }

    public double ClipNorm => Config.ClipNorm;
    public double Delta => Config.Delta;
    public PoissonSampler Sampler { get; }
    public IGaussianNoise Noise { get; }

    /// <summary>Standard deviation of the noise added to each coordinate of the clipped sum: σ·C.</summary>
    public double NoiseStd => NoiseMultiplier * ClipNorm;

    /// <summary>Expected batch size qN, the divisor of the noisy sum (never the realised size).</summary>
    public double Normaliser => SamplingRate * DatasetSize;

    /// <summary>
    /// Step 7 of DESIGN.md §3, once per logical step after every chunk: adds N(0, σ²C²) to each
    /// coordinate of the clipped sum in the gradient buffers, then divides by qN (the expected batch
    /// size, never the realised one, whose value would itself leak).
    /// </summary>
    public void AddNoiseAndNormalise(IReadOnlyList<Parameter> parameters)
    {
        var scale = (float)(1.0 / Normaliser);
        // All gradients are noised in one call over one flat vector (kept across steps), so the
        // noise source can split the whole dimension evenly across its workers instead of paying
        // its start-up once per parameter tensor. The distribution is the same: every coordinate
        // gets its own independent draw.
        var total = 0;
        foreach (var p in parameters)
        {
            total += p.Grad.Length;
        }
        if (flat.Length < total)
        {
            flat = new float[total];
        }
        var all = flat.AsSpan(0, total);
        var offset = 0;
        foreach (var p in parameters)
        {
            var g = p.Grad.Span;
            g.CopyTo(all.Slice(offset, g.Length));
            offset += g.Length;
        }
        Noise.AddNoise(all, NoiseStd);
        offset = 0;
        foreach (var p in parameters)
        {
            var g = p.Grad.Span;
            TensorPrimitives.Multiply(all.Slice(offset, g.Length), scale, g);
            offset += g.Length;
        }
        all.Clear();
    }

    /// <summary>The mechanism run for <paramref name="steps"/> steps.</summary>
    public DpEvent EventFor(long steps) => DpEvent.PoissonSampledGaussian(SamplingRate, AccountedNoiseMultiplier, steps);

    /// <summary>
    /// Validates the config, calibrates σ when a target ε is given, and binds everything.
    /// Refuses what it cannot account for, with a message naming the setting.
    /// </summary>
    /// <param name="dimension">Number of noised coordinates (trainable parameters).</param>
    public static DpPlan Create(PrivacyConfig config, int datasetSize, int batchSize, double epochs, long dimension,
        IRandomSource samplingSource, IGaussianNoise noise)
    {
        if (datasetSize < 1)
        {
            throw new ArgumentException($"Private training needs at least one example, got a dataset of {datasetSize}.");
        }
        if (batchSize < 1 || batchSize > datasetSize)
        {
            throw new ArgumentException($"--batch-size must be in [1, {datasetSize}] (the dataset size), got {batchSize}.");
        }
        if (!(epochs > 0) || double.IsInfinity(epochs))
        {
            throw new ArgumentException($"--epochs must be a positive number, got {epochs}.");
        }
        if (!(config.ClipNorm > 0) || double.IsInfinity(config.ClipNorm))
        {
            throw new ArgumentException($"--clip-norm must be a positive finite number, got {config.ClipNorm}.");
        }
        if (!(config.Delta > 0 && config.Delta < 1))
        {
            throw new ArgumentException($"--delta must be in (0, 1), got {config.Delta}.");
        }
        if (config.Delta >= 1.0 / datasetSize && !config.AllowLargeDelta)
        {
            throw new ArgumentException($"--delta {config.Delta} is not below 1/N = {1.0 / datasetSize:G3} for N = {datasetSize}: a mechanism that publishes one random example outright meets such a δ. Choose a smaller δ, or pass --allow-large-delta if you insist.");
        }
        if (config.TargetEpsilon is null == config.NoiseMultiplier is null)
        {
            throw new ArgumentException("Give exactly one of --epsilon (σ is then calibrated) and --noise-multiplier.");
        }
        // The same T as `obscura epsilon` and `calibrate` give for these N, B and E.
        var steps = TrainingSchedule.FromEpochs(datasetSize, batchSize, epochs).Steps;
        var q = (double)batchSize / datasetSize;
        double sigma;
        if (config.NoiseMultiplier is { } given)
        {
            if (!(given > 0) || double.IsInfinity(given))
            {
                throw new ArgumentException($"--noise-multiplier must be a positive finite number, got {given}.");
            }
            sigma = given;
        }
        else
        {
            var target = config.TargetEpsilon!.Value;
            if (!(target > 0) || double.IsInfinity(target))
            {
                throw new ArgumentException($"--epsilon must be a positive finite number, got {target}.");
            }
            var accounted = PrivacyCalibration.CalibrateNoiseMultiplier(target, config.Delta, q, steps, AccountantKind.Pld).NoiseMultiplier;
            sigma = NominalFor(accounted, dimension, noise);
        }
        return new DpPlan(config, datasetSize, batchSize, steps, sigma, AccountedFor(sigma, dimension, noise), samplingSource, noise);
    }

    private static double AccountedFor(double sigma, long dimension, IGaussianNoise noise) =>
        noise is SecureGaussianNoise secure ? SecureGaussianNoise.EffectiveNoiseMultiplier(sigma, dimension, secure.GridBits) : sigma;

    // Inverse of the effective-σ map σ/(1 + σ·a), so the accounted σ is the calibrated one.
    private static double NominalFor(double accounted, long dimension, IGaussianNoise noise)
    {
        if (noise is not SecureGaussianNoise secure)
        {
            return accounted;
        }
        var a = Math.Sqrt(dimension) * Math.ScaleB(1.0, -secure.GridBits);
        var nominal = accounted / (1 - accounted * a);
        // Round-off could leave the effective σ a hair below the calibrated one: nudge up until it is not.
        while (SecureGaussianNoise.EffectiveNoiseMultiplier(nominal, dimension, secure.GridBits) < accounted)
        {
            nominal = Math.BitIncrement(nominal);
        }
        return nominal;
    }
}
