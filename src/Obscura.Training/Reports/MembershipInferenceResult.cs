using Obscura.Privacy.Auditing;

namespace Obscura.Training.Reports;

/// <summary>Outcome of the loss-threshold attack: the ROC of score = −loss, members as positives.</summary>
public sealed record MembershipInferenceResult(RocCurve Roc, int Count, int Seed, double MeanMemberLoss, double MeanNonMemberLoss)
{
    public double Auc => Roc.Auc;
    public double TprAt0_1Percent => Roc.TruePositiveRateAt(0.001);
    public double TprAt1Percent => Roc.TruePositiveRateAt(0.01);
}
