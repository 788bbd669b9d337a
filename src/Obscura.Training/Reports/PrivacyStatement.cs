using System.Globalization;

namespace Obscura.Training.Reports;

/// <summary>
/// The privacy guarantee of a run in plain words, for someone who is not a privacy expert: what
/// (ε, δ) means for one person's data, what it covers, the sampling and noise used, the
/// reconstruction bound, and what it does not cover. A non-private run gets a warning instead.
/// </summary>
public static class PrivacyStatement
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>What a non-private run is told, after the words "NON-PRIVATE".</summary>
    public const string NonPrivateWarning =
        "This model was trained without differential privacy and has no privacy guarantee. It may memorise and reveal its training examples. Use it only as a baseline.";

    /// <summary>The first line: the headline guarantee, or the NON-PRIVATE warning.</summary>
    public static string Headline(RunAnalysis run) => run.Privacy is { } p
        ? $"This model was trained with differential privacy: ε = {p.Epsilon.ToString("0.##", C)} at δ = {Delta(p.Delta)}."
        : "NON-PRIVATE: " + NonPrivateWarning;

    /// <summary>The statement as paragraphs of plain text (the first is <see cref="Headline"/>).</summary>
    public static IReadOnlyList<string> Paragraphs(RunAnalysis run)
    {
        var lines = new List<string> { Headline(run) };
        if (run.Privacy is not { } p)
        {
            lines.Add("Nothing limits what the model's weights, its predictions or this report reveal about any training example. "
                + "Compare it with a private run to see what privacy costs in accuracy, not to deploy it where the training data must stay private.");
            AddAttack(run, lines);
            return lines;
        }
        var factor = Math.Exp(p.Epsilon);
        lines.Add($"What this means for one person's data: whatever anyone does with this model, any outcome of it is almost as likely whether or not one particular example was in the training data. "
            + $"Including the example can make an outcome at most e^ε = {factor.ToString(factor < 100 ? "0.##" : "G3", C)} times more (or less) likely, "
            + $"and the statement may fail outright with probability at most δ = {Delta(p.Delta)}. Smaller ε is stronger; ε around 1 or below is strong, ε above 10 is weak.");
        lines.Add("The guarantee covers adding or removing one training example (one image). A person who contributed k images is protected less: for k examples the guarantee degrades to roughly k·ε.");
        if (CanaryCaveat(run.Config) is { } caveat)
        {
            lines.Add(caveat);
        }
        if (FineTuningCaveat(run.Config) is { } start)
        {
            lines.Add(start);
        }
        var settings = p.Settings == 1 ? "" : $" The ledger records {p.Settings} different settings; all of them are composed in ε.";
        lines.Add($"How it was achieved: the model was trained for {p.Steps:N0} steps. At each step every one of the N = {p.DatasetSize:N0} training examples was included independently with probability q = {p.SamplingRate.ToString("G3", C)} "
            + $"(Poisson sampling, about {p.ExpectedBatchSize.ToString("N0", C)} examples per step). Each example's gradient was clipped to norm at most C = {p.ClipNorm.ToString("G3", C)}, "
            + $"and Gaussian noise of standard deviation σ·C = {(p.NoiseMultiplier * p.ClipNorm).ToString("G3", C)} (noise multiplier σ = {p.NoiseMultiplier.ToString("G4", C)}) was added to their sum. "
            + $"ε is computed by the PLD accountant from the run's privacy ledger, which records every step taken (the RDP accountant gives the looser ε = {p.EpsilonRdp.ToString("0.##", C)}).{settings}");
        if (p.Reconstruction.Count > 0)
        {
            var parts = p.Reconstruction.Select(b =>
                $"if a guess without the model succeeds with probability {Fraction(b.Prior)}, no attack with the model succeeds with probability above {b.SuccessProbability.ToString("0.###", C)} (± {b.StandardError.ToString("0.###", C)})");
            lines.Add("Reconstruction (Hayes, Mahloujifar and Balle 2023): no attacker can rebuild a training example much better than by guessing. "
                + string.Join("; ", parts) + ". These are Monte Carlo estimates of an upper bound, with their standard errors.");
        }
        AddAttack(run, lines);
        lines.Add("Not covered: the test set; hyperparameters if they were tuned on the training data; the training loss in metrics.csv, the examples-per-second figure and the count of dropped examples; and this report itself, "
            + "whose training loss and membership-inference figures are computed from the training data without noise. Share the model, not this report, if that matters.");
        return lines;
    }

    /// <summary>
    /// For runs with mislabelled canaries: each is a copy of a real training image, so an included
    /// canary puts that image in the training data twice. Null for other runs.
    /// </summary>
    public static string? CanaryCaveat(TrainConfig config) => config.Canaries > 0 && config.CanaryKind == Auditing.CanaryKind.Mislabelled
        ? $"The {config.Canaries.ToString("N0", C)} audit canaries are mislabelled copies of training images: the owner of a copied image has it in the training data twice when its canary is included, "
            + "so for those images the guarantee is that of a group of two (roughly 2ε), not ε. Out-of-distribution canaries (--canary-kind ood) copy no one."
        : null;

    /// <summary>What a fine-tuning run's guarantee assumes about the weights it started from, or null for a random start.</summary>
    public static string? FineTuningCaveat(TrainConfig config)
    {
        var frozen = config.Frozen is { Length: > 0 } f ? $" Layers kept at those weights (frozen): {string.Join(", ", f)}." : "";
        return config.InitialWeights is { } w
            ? $"Training started from the weights in {w.File} (SHA-256 {w.Sha256[..16]}…){(w.NewHead ? ", all but the classifier head" : "")}.{frozen} The guarantee covers this training only and treats those weights as public: "
                + "it holds as stated if they were made without these training examples, and says nothing about what they already revealed if they were not."
            : frozen.Length > 0 ? frozen.TrimStart() : null;
    }

    private static void AddAttack(RunAnalysis run, List<string> lines)
    {
        if (run.Audit is { } audit)
        {
            var l = audit.Loss;
            var lira = audit.Lira is { } a
                ? $", and with the offline LiRA attack over {audit.Shadows} shadow models ε ≥ {a.EpsilonLowerBound.ToString("0.##", C)} (AUC {a.Auc?.ToString("0.###", C) ?? "-"} on the canaries)"
                : "";
            var accounted = audit.AccountedEpsilon is { } e ? $"the accounted ε = {e.ToString("0.##", C)}" : "no accounted ε (non-private)";
            lines.Add($"Measured with canaries (one-run audit, Steinke, Nasr and Jagielski 2023): {l.Canaries:N0} planted canaries, {l.Members:N0} of them trained on by a coin flip; "
                + $"guessing {l.Guesses} of them from the model's loss gets {l.Correct} right, which proves ε ≥ {l.EpsilonLowerBound.ToString("0.##", C)} at δ = {Delta(audit.Delta)} with {l.Confidence.ToString("0.#%", C)} confidence{lira}; "
                + $"compare {accounted}. A lower bound is what one attack proved, not the true privacy loss.");
        }
        if (run.Mia is not { } mia)
        {
            return;
        }
        lines.Add($"Measured attack: a membership-inference attack that guesses \"was in the training data\" when the model's loss on an example is low reaches AUC {mia.Auc.ToString("0.###", C)} "
            + $"(0.5 is a coin flip, 1 is perfect) and finds {mia.TprAt0_1Percent.ToString("P2", C)} of members at a 0.1% false-positive rate. "
            + "A weak result of this one attack does not prove privacy; only the guarantee above does. A strong result shows leakage.");
    }

    /// <summary>δ as people write it: 1e-5 rather than 1E-05.</summary>
    public static string Delta(double delta) => delta < 1e-3 ? delta.ToString("0.##e0", C) : delta.ToString("0.####", C);

    private static string Fraction(double prior) => prior >= 0.5 ? prior.ToString("G3", C) : $"1 in {Math.Round(1 / prior).ToString("N0", C)}";
}
