namespace Obscura.Privacy;

/// <summary>How an RDP curve is turned into (ε, δ)-DP.</summary>
public enum RdpConversion
{
    /// <summary>
    /// ε = RDP(α) + log((α−1)/α) − (log δ + log α)/(α−1) (Balle et al. 2020, Prop. 12;
    /// Canonne, Kamath, Steinke 2020). The one dp_accounting and Opacus use; the default.
    /// </summary>
    Improved,

    /// <summary>ε = RDP(α) + log(1/δ)/(α−1) (Mironov 2017, Prop. 3). Looser; the TF Privacy tutorial value.</summary>
    Classic,
}
