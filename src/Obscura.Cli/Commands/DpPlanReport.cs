using Obscura.Privacy;
using Obscura.Training;

namespace Obscura.Cli.Commands;

/// <summary>The words Obscura prints about a plan and the privacy a run spent.</summary>
public static class DpPlanReport
{
    public static double ExpectedEpsilon(DpPlan plan) =>
        new PldAccountant().GetEpsilon(plan.EventFor(plan.Steps), plan.Delta).Epsilon;

    public static string Statement(DpPlan plan, TrainResult result, TrainConfig config) =>
        $"[bold]Privacy statement[/]: this model is ({result.Epsilon:F3}, {plan.Delta:G3})-differentially private with respect to adding or removing any one training example: " +
        $"{result.Steps:N0} steps of DP-SGD, each including every example independently with probability q = {plan.SamplingRate:G4}, " +
        $"clipping each example's gradient to norm {plan.ClipNorm:G4} and adding Gaussian noise of std {plan.NoiseStd:G4} (σ = {plan.NoiseMultiplier:G4}), accounted with the PLD accountant over every recorded step." +
        (result.DroppedExamples > 0 ? $" {result.DroppedExamples} example-steps had non-finite gradients and were left out." : "") +
        (Training.Reports.PrivacyStatement.CanaryCaveat(config) is { } caveat ? " " + Spectre.Console.Markup.Escape(caveat) : "") +
        (Training.Reports.PrivacyStatement.FineTuningCaveat(config) is { } start ? " " + Spectre.Console.Markup.Escape(start) : "");
}
