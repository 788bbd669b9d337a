using Obscura.Privacy;
using Obscura.Privacy.Ledger;

namespace Obscura.Training.Reports;

/// <summary>
/// ε spent against steps, recomputed from the ledger with the PLD accountant: ε at δ of the first
/// k recorded steps, for a handful of k spread evenly up to the ledger's length (ε(0) = 0).
/// </summary>
public static class EpsilonCurve
{
    /// <summary>Points (steps, ε) at about <paramref name="points"/> step counts, including 0 and the last step.</summary>
    public static IReadOnlyList<(long Steps, double Epsilon)> Compute(PrivacyLedger ledger, double delta, int points = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        var result = new List<(long, double)> { (0, 0) };
        var total = ledger.Count;
        var accountant = new PldAccountant();
        long previous = 0;
        for (var i = 1; i <= points; i++)
        {
            var k = (long)Math.Round((double)i * total / points);
            if (k <= previous)
            {
                continue;
            }
            var prefix = new PrivacyLedger(ledger.RunId);
            for (var s = 0; s < k; s++)
            {
                prefix.Append(ledger.Entries[s]);
            }
            result.Add((k, accountant.GetEpsilon(LedgerAccounting.EventOf(prefix), delta).Epsilon));
            previous = k;
        }
        return result;
    }
}
