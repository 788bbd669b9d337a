using System.CommandLine;
using Obscura.Data;
using Obscura.Nn;
using Obscura.Training;
using Obscura.Training.Auditing;
using Spectre.Console;

namespace Obscura.Cli.Commands;

/// <summary><c>obscura train</c>: private by default (ε = 3, δ = 1e-5); <c>--non-private</c> for baselines.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Option<string?>("--recipe") { Description = $"Named hyperparameters: {string.Join(", ", Recipes.Names)} (best is the default)." };
        var model = new Option<string?>("--model") { Description = $"Architecture (selects its recipe): {string.Join(", ", Obscura.Nn.Models.ModelZoo.Names)}." };
        var dataOptions = new DataOptions();
        var data = dataOptions.Data;
        var nonPrivate = new Option<bool>("--non-private") { Description = "Train without differential privacy (a baseline; no guarantee)." };
        var epsilon = new Option<double?>("--epsilon") { Description = "Target ε (default 3); σ is calibrated with the PLD accountant." };
        var delta = new Option<double>("--delta") { Description = "δ of the guarantee; must be below 1/N.", DefaultValueFactory = _ => 1e-5 };
        var sigma = new Option<double?>("--noise-multiplier") { Description = "Noise multiplier σ instead of a target ε." };
        var clip = new Option<double?>("--clip-norm") { Description = "Per-example clip norm C." };
        var sampling = new Option<string>("--sampling") { Description = "Batch sampling: poisson (private runs; what the accountant covers) or shuffle (non-private only).", DefaultValueFactory = _ => "poisson" };
        var perLayer = new Option<bool>("--per-layer-clipping") { Description = "Clip each layer to C/√L instead of all parameters to C." };
        var allowLargeDelta = new Option<bool>("--allow-large-delta") { Description = "Accept δ ≥ 1/N (not recommended)." };
        var epochs = new Option<double?>("--epochs") { Description = "Epochs E (steps T = ceil(E·N/B))." };
        var batch = new Option<int?>("--batch-size") { Description = "Expected batch size B (Poisson, q = B/N) or, non-private, the fixed batch size." };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd or adam." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate." };
        var momentum = new Option<double?>("--momentum") { Description = "SGD momentum." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay (L2)." };
        var cosine = new Option<bool?>("--cosine") { Description = "Cosine learning-rate decay." };
        var augmult = new Option<int?>("--augmult") { Description = "Augmentation multiplicity K (1 = no augmentation)." };
        var noFlip = new Option<bool>("--no-flip") { Description = "No horizontal flips in augmentation." };
        var cropPadding = new Option<int>("--crop-padding") { Description = "Padding before random crops.", DefaultValueFactory = _ => 2 };
        var averageViews = new Option<bool?>("--average-views") { Description = "Predict from the probabilities averaged over six views of each image (itself, four one-pixel shifts, its mirror image), in the final evaluation, reports and predict (true or false; the recipe decides when not given). Post-processing: no privacy cost." };
        var ema = new Option<double?>("--ema-decay") { Description = "EMA decay of the weights used for evaluation (0 = off)." };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation and augmentation.", DefaultValueFactory = _ => 0 };
        var physical = new Option<int?>("--physical-batch") { Description = "Largest chunk run at once (memory); does not change the result." };
        var normMethod = new Option<string>("--norm-method") { Description = "Per-example norms: auto, ghost or materialise.", DefaultValueFactory = _ => "auto" };
        var validation = new Option<int>("--validation-size") { Description = "Hold out this many training examples and evaluate on them instead of the test set.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/<model>-<time>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder; ε covers every step ever taken." };
        var canaries = new Option<int>("--canaries") { Description = "M canary examples for the one-run audit (obscura audit RUN), each trained on with probability 1/2; recorded in canaries.json.", DefaultValueFactory = _ => 0 };
        var canaryKind = new Option<string>("--canary-kind") { Description = "Canaries: mislabelled (training images with another label) or ood (random block patterns).", DefaultValueFactory = _ => "mislabelled" };
        var initFrom = new Option<string?>("--init-from") { Description = "Fine-tune: start from these weights (a .safetensors file or a run folder) instead of a random initialisation; they must not have been trained on this data." };
        var (imageSize, pixelMean, pixelStd, perImage) = (dataOptions.ImageSize, dataOptions.PixelMean, dataOptions.PixelStd, dataOptions.PerImage);
        var newHead = new Option<bool>("--new-head") { Description = "With --init-from: leave the last layer (the classifier head) at its random initialisation, e.g. for another set of classes." };
        var freeze = new Option<string?>("--freeze") { Description = "Layers kept at their initial weights (comma-separated names or prefixes, e.g. features, or all-but-head): not clipped, noised or updated." };
        var (threads, blas) = (SharedOptions.Threads(), SharedOptions.Blas());
        var json = SharedOptions.Json();

        var command = new Command("train", "Train a classifier with differential privacy (or --non-private).");
        foreach (var o in new Option[] { recipe, model, data, nonPrivate, sampling, epsilon, delta, sigma, clip, perLayer, allowLargeDelta, epochs, batch, optimizer, lr, momentum, weightDecay, cosine, augmult, noFlip, cropPadding, ema, averageViews, seed, physical, normMethod, validation, canaries, canaryKind, initFrom, newHead, freeze, imageSize, pixelMean, pixelStd, perImage, output, resume, threads, blas, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            SharedOptions.ConfigureBlas(parse.GetValue(blas), parse.GetValue(threads));
            if (parse.GetValue(canaries) < 0)
            {
                throw new UsageException($"--canaries must be at least 0, got {parse.GetValue(canaries)}.");
            }
            var kind = ParseCanaryKind(parse.GetValue(canaryKind)!);
            TrainConfig config;
            RunFolder run;
            if (parse.GetValue(resume) is { } resumePath)
            {
                var fixedByTheRun = new Option[] { recipe, model, data, nonPrivate, sampling, epsilon, delta, sigma, clip, perLayer, allowLargeDelta, epochs, batch, optimizer, lr, momentum, weightDecay, cosine, augmult, noFlip, cropPadding, ema, averageViews, seed, physical, normMethod, validation, canaryKind, initFrom, newHead, freeze, imageSize, pixelMean, pixelStd, perImage, output };
                if (fixedByTheRun.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                {
                    throw new UsageException($"{given.Name}: a resumed run keeps the settings it started with (its config.json), so that what runs matches what its ledger accounts; start a new run to change them.");
                }
                run = new RunFolder(resumePath);
                config = run.LoadConfig();
                if (parse.GetResult(canaries) is { Implicit: false } && parse.GetValue(canaries) != config.Canaries)
                {
                    throw new UsageException($"--canaries {parse.GetValue(canaries)}: the run in {run.Path} was started with {config.Canaries} canaries, and a resumed run keeps them.");
                }
            }
            else
            {
                var isPrivate = !parse.GetValue(nonPrivate);
                var recipeName = parse.GetValue(recipe);
                var modelName = parse.GetValue(model);
                if (modelName is not null && !Obscura.Nn.Models.ModelZoo.Names.Contains(modelName))
                {
                    throw new UsageException($"--model must be one of {string.Join(", ", Obscura.Nn.Models.ModelZoo.Names)}, got '{modelName}'.");
                }
                if (recipeName is not null && modelName is not null && Recipes.For(recipeName, isPrivate).Model != modelName)
                {
                    throw new UsageException($"--recipe {recipeName} trains {Recipes.For(recipeName, isPrivate).Model}, not --model {modelName}; give one of them.");
                }
                var explicitSigma = parse.GetValue(sigma);
                var targetEpsilon = isPrivate && explicitSigma is null ? parse.GetValue(epsilon) ?? 3.0 : (double?)null;
                var defaults = Recipes.For(recipeName ?? modelName ?? "best", isPrivate, targetEpsilon);
                var name = defaults.Model;
                if (!isPrivate && new Option[] { epsilon, sigma, delta, clip, perLayer, allowLargeDelta }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } privacyOnly)
                {
                    throw new UsageException($"--non-private cannot be combined with {privacyOnly.Name}: a non-private run has no noise, clipping or guarantee.");
                }
                var samplingMode = parse.GetValue(sampling);
                if (samplingMode is not ("poisson" or "shuffle"))
                {
                    throw new UsageException($"--sampling must be poisson or shuffle, got '{samplingMode}'.");
                }
                if (isPrivate && samplingMode == "shuffle")
                {
                    throw new UsageException("--sampling shuffle is refused for private training: fixed-size shuffled batches are not what the Poisson accountant covers, so the ε printed would be wrong. Use Poisson sampling (the default), or --non-private.");
                }
                PrivacyConfig? privacy = isPrivate
                    ? new PrivacyConfig(
                        targetEpsilon ?? parse.GetValue(epsilon),
                        explicitSigma, parse.GetValue(delta), parse.GetValue(clip) ?? defaults.ClipNorm,
                        parse.GetValue(perLayer), parse.GetValue(allowLargeDelta))
                    : null;
                var opt = new OptimizerConfig(
                    parse.GetValue(optimizer) ?? defaults.Optimizer.Name,
                    parse.GetValue(lr) ?? defaults.Optimizer.LearningRate,
                    parse.GetValue(momentum) ?? defaults.Optimizer.Momentum,
                    parse.GetValue(weightDecay) ?? defaults.Optimizer.WeightDecay,
                    parse.GetValue(cosine) ?? defaults.Optimizer.Cosine);
                config = new TrainConfig(
                    name, Path.GetFullPath(parse.GetValue(data)!), parse.GetValue(batch) ?? defaults.BatchSize,
                    parse.GetValue(epochs) ?? defaults.Epochs, privacy,
                    new PerformanceConfig(parse.GetValue(physical) ?? defaults.PhysicalBatch, ParseNormMethod(parse.GetValue(normMethod)!)),
                    opt, parse.GetValue(augmult) ?? defaults.Augmult, !parse.GetValue(noFlip), parse.GetValue(cropPadding),
                    parse.GetValue(ema) ?? defaults.EmaDecay, parse.GetValue(seed), parse.GetValue(validation), defaults.Name,
                    parse.GetValue(canaries), kind,
                    parse.GetValue(initFrom) is { } weights ? InitialWeights.Resolve(weights, parse.GetValue(data)!, parse.GetValue(newHead))
                        : parse.GetValue(newHead) ? throw new UsageException("--new-head needs --init-from: without starting weights every layer is new.") : null,
                    parse.GetValue(freeze) is { } layers ? layers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
                    dataOptions.ImageSizeOf(parse), dataOptions.StandardisationOf(parse, name), FeatureFrontEnd.CompressionFor(name),
                    dataOptions.PerImageOf(parse, defaults), parse.GetValue(averageViews) ?? defaults.AverageViews);
                CheckSettings(config);
                if (config.AverageViews && FeatureFrontEnd.UsesScatter(config.Model))
                {
                    throw new UsageException($"--average-views: {config.Model} classifies ScatterNet features, not images, so there are no shifted or mirrored views to average; use --average-views false.");
                }
                if (config.Augmult > 1 && FeatureFrontEnd.UsesScatter(config.Model))
                {
                    // Crops and flips act on pixels; on 81×7×7 scattering maps they would shift by 4-pixel
                    // cells and flip without swapping orientations: not the augmentation the flag promises.
                    throw new UsageException($"--augmult {config.Augmult}: {config.Model} trains on ScatterNet features computed once per image, which pixel augmentation cannot act on; use --augmult 1.");
                }
                run = new RunFolder(parse.GetValue(output) ?? Path.Combine("runs", $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
                if (File.Exists(run.Path))
                {
                    throw new UsageException($"--out {run.Path} is a file; a run needs a folder of its own.");
                }
                if (run.Exists)
                {
                    throw new UsageException($"--out {run.Path} already holds a run; pass --resume {run.Path} to continue it, or choose another folder.");
                }
            }
            return TrainSession.Run(context, config, run, parse.GetValue(json)).ExitCode;
        });
        return command;
    }

    /// <summary>Refuses out-of-range settings by their flag, before a run folder is created.</summary>
    private static void CheckSettings(TrainConfig c)
    {
        var o = c.Optimizer;
        var problem =
            o.Name is not ("sgd" or "adam") ? $"--optimizer must be sgd or adam, got '{o.Name}'"
            : !(o.LearningRate > 0 && double.IsFinite(o.LearningRate)) ? $"--lr must be positive and finite, got {o.LearningRate}"
            : !(o.Momentum >= 0 && o.Momentum < 1) ? $"--momentum must be in [0, 1), got {o.Momentum}"
            : !(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay)) ? $"--weight-decay must be at least 0 and finite, got {o.WeightDecay}"
            : !(c.EmaDecay >= 0 && c.EmaDecay < 1) ? $"--ema-decay must be in [0, 1) (0 turns the average off), got {c.EmaDecay}"
            : c.Augmult < 1 ? $"--augmult must be at least 1 (1 means no augmentation), got {c.Augmult}"
            : c.CropPadding < 0 ? $"--crop-padding must be at least 0, got {c.CropPadding}"
            : c.Performance.PhysicalBatch < 1 ? $"--physical-batch must be at least 1, got {c.Performance.PhysicalBatch}"
            : c.ValidationSize < 0 ? $"--validation-size must be at least 0, got {c.ValidationSize}"
            : null;
        if (problem is not null)
        {
            throw new UsageException(problem + ".");
        }
    }

    private static CanaryKind ParseCanaryKind(string text) => text switch
    {
        "mislabelled" or "mislabeled" => CanaryKind.Mislabelled,
        "ood" => CanaryKind.Ood,
        _ => throw new UsageException($"--canary-kind must be mislabelled or ood, got '{text}'."),
    };

    private static NormMethod ParseNormMethod(string text) => text switch
    {
        "auto" => NormMethod.Auto,
        "ghost" => NormMethod.Ghost,
        "materialise" or "materialize" => NormMethod.Materialise,
        _ => throw new UsageException($"--norm-method must be auto, ghost or materialise, got '{text}'."),
    };
}
