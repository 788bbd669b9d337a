using System.Diagnostics;
using Obscura.Data;
using Obscura.Nn;
using Obscura.Nn.Models;
using Obscura.Nn.Serialization;
using Obscura.Privacy;
using Obscura.Privacy.Ledger;
using Obscura.Privacy.Noise;
using Obscura.Privacy.Randomness;
using Obscura.Privacy.Sampling;
using Obscura.Tensors.Blas;

namespace Obscura.Training;

/// <summary>
/// The training loop (DESIGN.md §3): sample a logical batch, accumulate its gradient in chunks,
/// and for private runs add noise N(0, σ²C²) once to the clipped sum and divide by qN; record the
/// step in the ledger (saved atomically) before the optimizer makes the new weights; EMA; metrics
/// and checkpoints. Non-private runs use shuffled fixed-size batches and are labelled so.
/// </summary>
public sealed class Trainer
{
    private readonly TrainConfig config;
    private readonly RunFolder run;
    private readonly ImageDataset train;
    private readonly ImageDataset test;
    private readonly TrainerOptions options;

    public Trainer(TrainConfig config, RunFolder run, ImageDataset train, ImageDataset test, TrainerOptions? options = null)
    {
        this.config = config;
        this.run = run;
        this.train = train;
        this.test = test;
        this.options = options ?? new TrainerOptions();
    }

    /// <summary>Set before step 1 for private runs: the resolved plan.</summary>
    public DpPlan? Plan { get; private set; }

    /// <summary>The model being trained (built in <see cref="Prepare"/>).</summary>
    public Model? Model { get; private set; }

    /// <summary>Builds the model, plan and state (resuming from the run folder if it holds a checkpoint).</summary>
    public void Prepare()
    {
        var rng = new Random(config.Seed);
        Model = BuildModel(config.Model, train, rng);
        // A checkpoint, if the run has one, replaces every weight anyway.
        if (config.InitialWeights is { } initial && run.LatestCheckpoint() is null)
        {
            initial.LoadInto(Model);
        }
        if (config.Frozen is { Length: > 0 } frozen)
        {
            Model.Freeze(frozen);
        }
        if (config.Privacy is { } privacy)
        {
            var sampling = options.SeededRandomness ? (IRandomSource)new SeededRandomSource((ulong)config.Seed + 1) : new CryptoRandomSource();
            var noise = options.SeededRandomness ? (IGaussianNoise)new SeededGaussianNoise((ulong)config.Seed + 2) : new SecureGaussianNoise();
            Plan = DpPlan.Create(privacy, train.Count, config.BatchSize, config.Epochs, Model.TrainableParameterCount, sampling, noise);
            if (File.Exists(run.LedgerFile))
            {
                CheckLedgerMatches(PrivacyLedger.Load(run.LedgerFile), Plan); // a resumed run on changed data is refused before anything is printed
            }
        }
    }

    /// <summary>Runs (or continues) training to the planned number of steps.</summary>
    public TrainResult Run(IProgress<TrainProgress>? progress, CancellationToken cancel)
    {
        if (Model is null)
        {
            Prepare();
        }
        var model = Model!;
        var plan = Plan;
        // Private: an epoch is N/B expected-size Poisson batches. Non-private: full shuffled batches.
        var stepsPerEpoch = plan is null ? Math.Max(1, train.Count / config.BatchSize) : (double)train.Count / config.BatchSize;
        var totalSteps = plan?.Steps ?? PlannedSteps(config, train.Count);
        var optimizer = OptimizerFactory.Create(config.Optimizer, model.Parameters);
        var trainable = model.TrainableParameters; // frozen layers get no gradient, noise or update
        var ema = config.EmaDecay > 0 ? new Ema(model.Parameters, config.EmaDecay) : null;
        var checkpoints = new Checkpoints(run);
        var state = checkpoints.TryRestore(model, ema, optimizer) ?? new TrainState(0, config.Seed);
        var ledger = plan is null ? null : OpenLedger(plan, state);
        if ((ledger?.Count ?? state.Step) >= totalSteps && run.TryLoadResult() is { Completed: true } finished)
        {
            return finished; // resuming a finished run: nothing to train, and its result stays as it was
        }

        var augmenter = new Augmenter(new AugmentationOptions(config.Augmult, config.CropPadding, PaddingMode.Zero, config.Flip), (ulong)state.Seed * 1_000_003UL + (ulong)state.Step);
        var clipper = plan is null ? null : new PerExampleClipper(model.TrainableSources, plan.ClipNorm, plan.Config.PerLayerClipping, config.Performance.NormMethod);
        var runner = new StepRunner(model, train, augmenter, clipper, config.Performance.PhysicalBatch);
        var shuffler = plan is null ? new ShuffledBatchSampler(train.Count, config.BatchSize, new SeededRandomSource((ulong)(state.Seed + state.Step))) : null;
        var metrics = new MetricsLog(run.MetricsFile);
        var evaluator = new Evaluator();

        var clock = Stopwatch.StartNew();
        long examplesSeen = 0;
        var dropped = 0;
        double lossAverage = double.NaN;
        var step = state.Step;
        // Steps taken as accounted: the ledger's count for a private run (which may run ahead of the
        // checkpoint after a crash), the weights' step count otherwise.
        long StepsTaken() => ledger?.Count ?? step;
        var lastCheckpoint = clock.Elapsed;
        // A private run ends when the ledger holds the planned steps: steps recorded after the last
        // checkpoint (a crash in between) were spent even though their weights were lost.
        while (StepsTaken() < totalSteps && !cancel.IsCancellationRequested)
        {
            var batch = plan is null ? shuffler!.NextBatch() : plan.Sampler.Sample();
            model.ZeroGradients();
            var stats = runner.Accumulate(batch);
            dropped += stats.Dropped;
            if (plan is not null)
            {
                plan.AddNoiseAndNormalise(trainable);
                // The noisy gradient is now the released quantity: record it before it touches the weights.
                ledger!.AppendStep(plan.SamplingRate, plan.AccountedNoiseMultiplier, plan.ClipNorm, plan.DatasetSize, plan.Delta);
                ledger.Save(run.LedgerFile);
            }
            optimizer.LearningRate = (float)LearningRateAt(step, totalSteps);
            optimizer.Step();
            ema?.Update(step);
            step++;
            examplesSeen += batch.Length;
            if (stats.Examples > 0)
            {
                lossAverage = double.IsNaN(lossAverage) ? stats.MeanLoss : 0.95 * lossAverage + 0.05 * stats.MeanLoss;
            }

            var epochDone = Math.Floor(step / stepsPerEpoch) > Math.Floor((step - 1) / stepsPerEpoch) || step == totalSteps;
            if (epochDone || clock.Elapsed - lastCheckpoint > options.CheckpointInterval)
            {
                checkpoints.Save(model, ema, optimizer, new TrainState(step, state.Seed));
                lastCheckpoint = clock.Elapsed;
            }
            if (epochDone)
            {
                var eval = EvaluateWithAverage(evaluator, model, ema, averageViews: false); // six views would add a quarter to a tanh-cnn run
                metrics.Append(step, step / stepsPerEpoch, lossAverage, eval.Accuracy, EpsilonSpent(ledger, plan), clock.Elapsed.TotalSeconds);
            }
            var rate = examplesSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var done = StepsTaken();
            progress?.Report(new TrainProgress(
                (int)Math.Min(Math.Ceiling(done / stepsPerEpoch), Math.Ceiling(config.Epochs)), (int)Math.Ceiling(config.Epochs),
                done, totalSteps, lossAverage, rate,
                TimeSpan.FromSeconds((totalSteps - done) * clock.Elapsed.TotalSeconds / Math.Max(1, step - state.Step)),
                plan is null || !options.LiveEpsilon ? null : LiveEpsilon(ledger!, plan)));
        }

        checkpoints.Save(model, ema, optimizer, new TrainState(step, state.Seed));
        var final = EvaluateWithAverage(evaluator, model, ema, config.AverageViews);
        SaveWeights(model, ema);
        var seconds = clock.Elapsed.TotalSeconds;
        var result = new TrainResult(
            model.Name, model.ParameterCount, final.Accuracy, StepsTaken() / stepsPerEpoch, StepsTaken(), seconds,
            examplesSeen / Math.Max(1e-9, seconds), Gemm.Current.Name, plan is not null,
            EpsilonSpent(ledger, plan), plan?.Delta, plan?.AccountedNoiseMultiplier, plan?.SamplingRate, plan?.ClipNorm,
            plan is null ? null : "pld", dropped, run.Path, StepsTaken() >= totalSteps, test.Name);
        run.SaveResult(result);
        return result;
    }

    /// <summary>
    /// The run's privacy ledger, checked against what is about to resume: it must record at least
    /// the steps the checkpoint has taken (a missing or truncated ledger would forget privacy already
    /// spent), and every entry must be a step of this plan (a ledger from another run or setting
    /// would account the wrong mechanism).
    /// </summary>
    private PrivacyLedger OpenLedger(DpPlan plan, TrainState state)
    {
        if (!File.Exists(run.LedgerFile))
        {
            return state.Step == 0
                ? new PrivacyLedger(Guid.NewGuid().ToString("N"))
                : throw new InvalidDataException($"{run.LedgerFile} is missing, but the run's checkpoint has taken {state.Step} private steps: "
                    + "the privacy they spent can no longer be accounted, so this run cannot be resumed. Start a new run.");
        }
        var ledger = PrivacyLedger.Load(run.LedgerFile);
        if (ledger.Count < state.Step)
        {
            throw new InvalidDataException($"{run.LedgerFile} records {ledger.Count} steps, but the run's checkpoint has taken {state.Step}: "
                + "the ledger has lost steps, so this run cannot be resumed. Start a new run.");
        }
        CheckLedgerMatches(ledger, plan);
        return ledger;
    }

    // Every recorded step must have run with this plan's q, σ, C, N and δ, or the ledger is another run's.
    private void CheckLedgerMatches(PrivacyLedger ledger, DpPlan plan)
    {
        foreach (var entry in ledger.Entries)
        {
            if (entry.SamplingRate != plan.SamplingRate || entry.NoiseMultiplier != plan.AccountedNoiseMultiplier || entry.ClipNorm != plan.ClipNorm
                || entry.DatasetSize != plan.DatasetSize || entry.Delta != plan.Delta)
            {
                throw new InvalidDataException($"{run.LedgerFile}: step {entry.Step} ran with q = {entry.SamplingRate}, σ = {entry.NoiseMultiplier}, C = {entry.ClipNorm}, "
                    + $"N = {entry.DatasetSize}, δ = {entry.Delta}, but this run's plan is q = {plan.SamplingRate}, σ = {plan.AccountedNoiseMultiplier}, C = {plan.ClipNorm}, "
                    + $"N = {plan.DatasetSize}, δ = {plan.Delta}: the ledger belongs to another run or setting, so it cannot be continued.");
            }
        }
    }

    /// <summary>
    /// <paramref name="name"/>'s architecture for <paramref name="data"/>'s items and classes; images
    /// the architecture cannot take (too small for its kernels) are refused with the size to resize to.
    /// </summary>
    /// <exception cref="ArgumentException">The model cannot take items of this shape.</exception>
    public static Model BuildModel(string name, ImageDataset data, Random? rng = null)
    {
        try
        {
            return ModelZoo.Build(name, data.ItemShape, data.ClassCount, rng ?? new Random(0));
        }
        catch (ArgumentException e) when (ModelZoo.Names.Contains(name))
        {
            throw new ArgumentException($"{name} cannot take inputs of {string.Join("×", data.ItemShape)} from {data.Name}: {e.Message} "
                + "Resize your images with --image-size (e.g. --image-size 28 for tanh-cnn, 32 for wrn-16-4).", e);
        }
    }

    /// <summary>
    /// T, the steps a run of <paramref name="config"/> on <paramref name="datasetSize"/> examples
    /// takes: ⌈E·N/B⌉ for private runs (<see cref="TrainingSchedule"/>, as <see cref="DpPlan"/> plans
    /// them), ceil(E·max(1, ⌊N/B⌋)) full shuffled batches for non-private ones.
    /// </summary>
    public static long PlannedSteps(TrainConfig config, int datasetSize) => config.IsPrivate
        ? TrainingSchedule.FromEpochs(datasetSize, config.BatchSize, config.Epochs).Steps
        : (long)Math.Ceiling(config.Epochs * Math.Max(1, datasetSize / config.BatchSize));

    private double LearningRateAt(long step, long totalSteps)
    {
        var lr = config.Optimizer.LearningRate;
        return config.Optimizer.Cosine ? lr * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps)) : lr;
    }

    private Evaluation EvaluateWithAverage(Evaluator evaluator, Model model, Ema? ema, bool averageViews)
    {
        ema?.Swap();
        try
        {
            return evaluator.Evaluate(model, test, averageViews);
        }
        finally
        {
            ema?.Swap();
        }
    }

    private void SaveWeights(Model model, Ema? ema)
    {
        var weights = ema?.Shadow ?? model.Parameters;
        SafeTensors.Save(run.WeightsFile, weights.Select(p => (p.Name, p.Value)), new Dictionary<string, string>
        {
            ["model"] = model.Name,
            ["private"] = config.IsPrivate ? "true" : "false (non-private baseline: no privacy guarantee)",
            ["weights"] = ema is null ? "final" : "ema",
        });
    }

    /// <summary>ε (PLD) of every step recorded in the ledger, at the plan's δ.</summary>
    public static double? EpsilonSpent(PrivacyLedger? ledger, DpPlan? plan) =>
        ledger is null || plan is null || ledger.Count == 0 ? (plan is null ? null : 0)
            : LedgerAccounting.Epsilon(ledger, plan.Delta, AccountantKind.Pld);

    private double? lastLiveEpsilon;
    private long lastLiveCount = -1;

    // The same accountant as the final statement (PLD, tens of milliseconds), refreshed every 20 steps.
    private double? LiveEpsilon(PrivacyLedger ledger, DpPlan plan)
    {
        if (lastLiveCount < 0 || ledger.Count - lastLiveCount >= 20)
        {
            lastLiveEpsilon = LedgerAccounting.Epsilon(ledger, plan.Delta, AccountantKind.Pld);
            lastLiveCount = ledger.Count;
        }
        return lastLiveEpsilon;
    }
}
