namespace Obscura.Privacy;

/// <summary>Grids of Rényi orders α over which RDP is minimised.</summary>
public static class RdpOrders
{
    /// <summary>
    /// Obscura's grid: 1.01–1.09 by 0.01, 1.1–10.9 by 0.1, every integer 11–256, then 320, 384,
    /// 448, 512, 768 and 1024. Finer than the libraries' defaults near 1 (where large ε and
    /// small δ·T land) and integer orders are exact.
    /// </summary>
    public static IReadOnlyList<double> Default { get; } = BuildDefault();

    /// <summary>Opacus's DEFAULT_ALPHAS: 1.1–10.9 by 0.1, then 12–63.</summary>
    public static IReadOnlyList<double> Opacus { get; } =
        Enumerable.Range(1, 99).Select(x => 1 + x / 10.0).Concat(Enumerable.Range(12, 52).Select(x => (double)x)).ToArray();

    /// <summary>
    /// The grid of the TF Privacy MNIST tutorial (compute_dp_sgd_privacy):
    /// 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, 5–63, 128, 256, 512.
    /// </summary>
    public static IReadOnlyList<double> TfPrivacyTutorial { get; } =
        new[] { 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5 }
            .Concat(Enumerable.Range(5, 59).Select(x => (double)x))
            .Concat(new double[] { 128, 256, 512 })
            .ToArray();

    private static double[] BuildDefault()
    {
        var orders = new List<double>();
        for (var i = 1; i <= 9; i++)
        {
            orders.Add(1 + i / 100.0);
        }
        for (var i = 1; i <= 99; i++)
        {
            orders.Add(1 + i / 10.0);
        }
        for (var a = 11; a <= 256; a++)
        {
            orders.Add(a);
        }
        orders.AddRange(new double[] { 320, 384, 448, 512, 768, 1024 });
        return orders.ToArray();
    }
}
