using System.Diagnostics;
using System.Globalization;
using Obscura.Privacy;

namespace Obscura.Bench;

/// <summary>
/// Times the privacy accountants on De et al.'s CIFAR-10 shape (q = 4096/50000, T = 2500,
/// σ = 3, δ = 1e-5): median wall time over repeats after one warm-up run, with Stopwatch.
/// </summary>
public static class AccountingBenchmark
{
    private const double SamplingRate = 4096.0 / 50000;
    private const long Steps = 2500;
    private const double NoiseMultiplier = 3;
    private const double Delta = 1e-5;
    private const double TargetEpsilon = 8;

    public static void Run(TextWriter output)
    {
        var dpEvent = DpEvent.PoissonSampledGaussian(SamplingRate, NoiseMultiplier, Steps);
        double pldEpsilon = 0, rdpEpsilon = 0, calibratedSigma = 0, calibratedEpsilon = 0;

        var pld = Time(7, () => pldEpsilon = new PldAccountant().GetEpsilon(dpEvent, Delta).Epsilon);
        var calibration = Time(3, () =>
        {
            var result = PrivacyCalibration.CalibrateNoiseMultiplier(TargetEpsilon, Delta, SamplingRate, Steps);
            (calibratedSigma, calibratedEpsilon) = (result.NoiseMultiplier, result.Achieved.Epsilon);
        });
        var rdp = Time(21, () => rdpEpsilon = new RdpAccountant().GetEpsilon(dpEvent, Delta).Epsilon);

        output.WriteLine($"Accounting, q = 4096/50000, T = {Steps}, delta = 1e-5, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| measurement | result | median | target | meets |");
        output.WriteLine("|---|---|---:|---:|:---:|");
        Row(output, "PLD epsilon, sigma = 3", $"epsilon = {F(pldEpsilon)}", pld, 1.0);
        Row(output, "calibrate sigma for epsilon = 8 (PLD)", $"sigma = {F(calibratedSigma)} (epsilon {calibratedEpsilon.ToString("G9", CultureInfo.InvariantCulture)})", calibration, 5.0);
        Row(output, "RDP epsilon, sigma = 3", $"epsilon = {F(rdpEpsilon)}", rdp, 0.010);
    }

    private static void Row(TextWriter output, string name, string result, double seconds, double target) =>
        output.WriteLine($"| {name} | {result} | {Ms(seconds)} | {Ms(target)} | {(seconds < target ? "yes" : "no")} |");

    private static string Ms(double seconds) => (seconds * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    // One warm-up run, then the median of `repeats` timed runs, in seconds.
    private static double Time(int repeats, Action action)
    {
        action();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
