using Obscura.Nn.Scattering;

namespace Obscura.Scattering.Tests;

public class ScatterFilterBankTests
{
    [Theory]
    [InlineData(28, 28, 2, 36, 36)]
    [InlineData(32, 32, 2, 40, 40)]
    [InlineData(12, 16, 2, 20, 24)]
    [InlineData(12, 16, 3, 24, 32)]
    public void PaddedSize_FollowsKymatioComputePadding(int h, int w, int j, int expectedH, int expectedW)
    {
        Assert.Equal((expectedH, expectedW), ScatterNet.PaddedSize(h, w, j));
    }

    [Fact]
    public void Angle_L8_RunsFromThreeEighthsPiDownToMinusHalfPi()
    {
        Assert.Equal(3 * Math.PI / 8, ScatterFilterBank.Angle(0, 8), 12);
        Assert.Equal(0, ScatterFilterBank.Angle(3, 8), 12);
        Assert.Equal(-Math.PI / 2, ScatterFilterBank.Angle(7, 8), 12);
    }

    [Fact]
    public void Wavelets_HaveZeroMean()
    {
        var bank = new ScatterFilterBank(36, 36, 2, 8);
        for (var n = 0; n < bank.WaveletCount; n++)
        {
            var spectrum = bank.WaveletFourier(n, 0);
            var peak = spectrum.Max(Math.Abs);
            Assert.True(Math.Abs(spectrum[0]) < 1e-12 * peak, $"wavelet {n}: DC {spectrum[0]:g3}, peak {peak:g3}");
            var (re, im) = bank.WaveletSpatial(n);
            Assert.True(Math.Abs(re.Sum()) < 1e-12 && Math.Abs(im.Sum()) < 1e-12, $"wavelet {n}: spatial sum {re.Sum():g3} + {im.Sum():g3}i");
        }
    }

    [Fact]
    public void LowPass_IntegratesToOneUpToKymatiosTruncatedPi()
    {
        var bank = new ScatterFilterBank(36, 36, 2, 8);
        // Kymatio divides by 2·3.1415·σ², so Σφ = π/3.1415 = 1 + 3e-5 rather than exactly 1.
        Assert.Equal(Math.PI / ScatterFilterBank.KymatioPi, bank.LowPassFourier(0)[0], 9);
        Assert.Equal(1.0, bank.LowPassSpatial().Re.Sum(), 4);
        Assert.Equal(1.0, bank.LowPassFourier(1)[0], 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LowPassFourier1d_ProductEqualsTwoDimensionalSpectrum(int res)
    {
        var bank = new ScatterFilterBank(20, 24, 2, 8);
        var full = bank.LowPassFourier(res);
        var rows = bank.LowPassFourier1d(0, res);
        var cols = bank.LowPassFourier1d(1, res);
        for (var k1 = 0; k1 < rows.Length; k1++)
        {
            for (var k2 = 0; k2 < cols.Length; k2++)
            {
                Assert.Equal(full[k1 * cols.Length + k2], bank.LowPassNormalisation * rows[k1] * cols[k2], 12);
            }
        }
    }

    [Fact]
    public void Wavelets_PeakAtXiAlongTheirAngle()
    {
        const int n = 64;
        var bank = new ScatterFilterBank(n, n, 2, 8);
        for (var w = 0; w < bank.WaveletCount; w++)
        {
            var (scale, t) = (w / 8, w % 8);
            var spectrum = bank.WaveletFourier(w, 0);
            var best = Array.IndexOf(spectrum, spectrum.Max());
            var (k1, k2) = (Signed(best / n, n), Signed(best % n, n));
            var (w1, w2) = (2 * Math.PI * k1 / n, 2 * Math.PI * k2 / n);
            var xi = ScatterFilterBank.WaveletXi(scale);
            var theta = ScatterFilterBank.Angle(t, 8);
            var miss = Math.Sqrt(Math.Pow(w1 - xi * Math.Cos(theta), 2) + Math.Pow(w2 - xi * Math.Sin(theta), 2));
            // The Morlet correction pulls the peak a little towards 0; two frequency bins of slack.
            Assert.True(miss < 2 * 2 * Math.PI / n, $"wavelet {w}: peak at ({w1:F3}, {w2:F3}), ξ·(cos θ, sin θ) = ({xi * Math.Cos(theta):F3}, {xi * Math.Sin(theta):F3})");
        }
    }

    [Fact]
    public void Wavelets_EnvelopeIsTwiceAsWideAcrossTheCarrier()
    {
        // |ψ| ≈ Gaussian with σ along (cos θ, sin θ) and σ/slant = 2σ across it (slant = 4/L = 1/2).
        var (re, im) = ScatterFilterBank.Gabor(64, 64, 2.0, 0, 0, 0.5);
        double Value(int x, int y) => Math.Sqrt(re[(x + 64) % 64 * 64 + (y + 64) % 64] * re[(x + 64) % 64 * 64 + (y + 64) % 64]
            + im[(x + 64) % 64 * 64 + (y + 64) % 64] * im[(x + 64) % 64 * 64 + (y + 64) % 64]);
        // θ = 0: the carrier runs along rows (first coordinate).
        Assert.Equal(Math.Exp(-4.0 / 8), Value(2, 0) / Value(0, 0), 9);   // exp(−x²/(2σ²)), x = 2, σ = 2
        Assert.Equal(Math.Exp(-4.0 / 32), Value(0, 2) / Value(0, 0), 9);  // σ across = 4
    }

    private static int Signed(int k, int n) => k > n / 2 ? k - n : k;
}
