using Obscura.Privacy;
using Obscura.Privacy.Ledger;

namespace Obscura.Training;

/// <summary>Turns a privacy ledger into the event it records and asks an accountant for ε.</summary>
public static class LedgerAccounting
{
    /// <summary>Every recorded step as one event: (q, σ) groups composed, each self-composed by its count.</summary>
    public static DpEvent EventOf(PrivacyLedger ledger)
    {
        var groups = ledger.Summarise();
        if (groups.Count == 0)
        {
            throw new InvalidOperationException("The ledger records no steps: no privacy has been spent.");
        }
        var events = groups.Select(g => DpEvent.PoissonSampledGaussian(g.SamplingRate, g.NoiseMultiplier, g.Steps)).ToList();
        return events.Count == 1 ? events[0] : new ComposedEvent(events);
    }

    /// <summary>ε at δ of every step in the ledger (0 when it records none).</summary>
    public static double Epsilon(PrivacyLedger ledger, double delta, AccountantKind kind)
    {
        if (ledger.Count == 0)
        {
            return 0;
        }
        IPrivacyAccountant accountant = kind == AccountantKind.Pld ? new PldAccountant() : new RdpAccountant();
        return accountant.GetEpsilon(EventOf(ledger), delta).Epsilon;
    }
}
