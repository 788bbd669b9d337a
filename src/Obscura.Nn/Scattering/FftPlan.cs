namespace Obscura.Nn.Scattering;

/// <summary>
/// A mixed-radix complex DFT of one length n (any n ≥ 1; radices 4, 2, 3 and 5 have dedicated
/// butterflies, other prime factors use a direct O(p²) butterfly), applied to every column of a
/// row-major [n, batch] array held in split format (separate real and imaginary planes).
/// Forward: X[k] = Σ_t x[t]·e^{−2πi·k·t/n}. Inverse: the same with +i and no 1/n (unnormalised),
/// so Inverse(Forward(x)) = n·x.
/// </summary>
/// <remarks>
/// Stockham autosort, decimation in frequency: each stage reads one buffer and writes the other,
/// and the output comes out in natural order without a bit-reversal pass. Every butterfly combines
/// whole contiguous blocks of s·batch floats (s = product of the radices already done) with
/// scalar twiddles, so the inner loops are plain vector loops over the batch, which is what makes
/// small 2-D transforms (9..40 points a side) fast. The plan is immutable and thread-safe; the
/// caller owns all buffers.
/// </remarks>
public sealed class FftPlan
{
    private readonly int[] radices;
    // Per stage, twiddles w^{r·q} (w = e^{−2πi/nStage}) at index (r − 1)·m + q, r = 1..p−1, q < m.
    private readonly float[][] twiddleRe;
    private readonly float[][] twiddleIm;

    /// <summary>Plans a transform of length <paramref name="length"/> (≥ 1).</summary>
    public FftPlan(int length)
    {
        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"FftPlan: length must be ≥ 1, got {length}.");
        }
        Length = length;
        radices = Factor(length);
        twiddleRe = new float[radices.Length][];
        twiddleIm = new float[radices.Length][];
        var nStage = length;
        for (var s = 0; s < radices.Length; s++)
        {
            var p = radices[s];
            var m = nStage / p;
            var re = new float[(p - 1) * m];
            var im = new float[(p - 1) * m];
            for (var r = 1; r < p; r++)
            {
                for (var q = 0; q < m; q++)
                {
                    // Reduce r·q modulo nStage in integers so large products keep full accuracy.
                    var angle = -2.0 * Math.PI * ((long)r * q % nStage) / nStage;
                    re[(r - 1) * m + q] = (float)Math.Cos(angle);
                    im[(r - 1) * m + q] = (float)Math.Sin(angle);
                }
            }
            twiddleRe[s] = re;
            twiddleIm[s] = im;
            nStage = m;
        }
    }

    /// <summary>The transform length n.</summary>
    public int Length { get; }

    /// <summary>The radices in the order the stages apply them (their product is n).</summary>
    public ReadOnlySpan<int> Radices => radices;

    /// <summary>
    /// Transforms every column of the [n, batch] arrays <paramref name="re"/>, <paramref name="im"/>
    /// in place. <paramref name="workRe"/>, <paramref name="workIm"/> are scratch of at least n·batch
    /// floats each (contents destroyed). Throws when a buffer is too short.
    /// </summary>
    public void Transform(Span<float> re, Span<float> im, Span<float> workRe, Span<float> workIm, int batch, bool inverse)
    {
        var total = Length * batch;
        if (batch < 1 || re.Length < total || im.Length < total || workRe.Length < total || workIm.Length < total)
        {
            throw new ArgumentException($"FftPlan({Length}).Transform: batch {batch} needs {total} floats in each of re, im, workRe, workIm; got {re.Length}, {im.Length}, {workRe.Length}, {workIm.Length}.");
        }
        if (radices.Length == 0)
        {
            return; // n = 1: the DFT is the identity.
        }
        Span<float> srcRe = re[..total], srcIm = im[..total], dstRe = workRe[..total], dstIm = workIm[..total];
        var nStage = Length;
        var stride = 1;
        for (var s = 0; s < radices.Length; s++)
        {
            var p = radices[s];
            var m = nStage / p;
            var block = stride * batch;
            FftKernels.Stage(p, m, block, srcRe, srcIm, dstRe, dstIm, twiddleRe[s], twiddleIm[s], inverse);
            var tr = srcRe; srcRe = dstRe; dstRe = tr;
            var ti = srcIm; srcIm = dstIm; dstIm = ti;
            nStage = m;
            stride *= p;
        }
        if (radices.Length % 2 == 1)
        {
            srcRe.CopyTo(re);
            srcIm.CopyTo(im);
        }
    }

    /// <summary>
    /// Out-of-place form: transforms the columns of the [n, batch] arrays (<paramref name="srcRe"/>,
    /// <paramref name="srcIm"/>), which are left unchanged, into (<paramref name="dstRe"/>,
    /// <paramref name="dstIm"/>). The stages alternate between the destination and the work planes so
    /// that the last one lands in the destination: no final copy. All six planes must be distinct
    /// and hold n·batch floats.
    /// </summary>
    public void Transform(ReadOnlySpan<float> srcRe, ReadOnlySpan<float> srcIm, Span<float> dstRe, Span<float> dstIm,
        Span<float> workRe, Span<float> workIm, int batch, bool inverse)
    {
        var total = Length * batch;
        if (batch < 1 || srcRe.Length < total || srcIm.Length < total || dstRe.Length < total || dstIm.Length < total
            || workRe.Length < total || workIm.Length < total)
        {
            throw new ArgumentException($"FftPlan({Length}).Transform: batch {batch} needs {total} floats in every plane.");
        }
        if (radices.Length == 0)
        {
            srcRe[..total].CopyTo(dstRe);
            srcIm[..total].CopyTo(dstIm);
            return;
        }
        var nStage = Length;
        var stride = 1;
        for (var s = 0; s < radices.Length; s++)
        {
            var p = radices[s];
            var m = nStage / p;
            // Stage s writes the destination when an odd number of stages remain after... counting back from the last.
            var toDestination = (radices.Length - 1 - s) % 2 == 0;
            var outRe = toDestination ? dstRe : workRe;
            var outIm = toDestination ? dstIm : workIm;
            ReadOnlySpan<float> inRe = s == 0 ? srcRe : toDestination ? workRe : dstRe;
            ReadOnlySpan<float> inIm = s == 0 ? srcIm : toDestination ? workIm : dstIm;
            FftKernels.Stage(p, m, stride * batch, inRe[..total], inIm[..total], outRe[..total], outIm[..total], twiddleRe[s], twiddleIm[s], inverse);
            nStage = m;
            stride *= p;
        }
    }

    // Fours first (fewest passes), then 2, 3, 5, then the remaining primes in increasing order.
    private static int[] Factor(int n)
    {
        var list = new List<int>();
        while (n % 4 == 0)
        {
            list.Add(4);
            n /= 4;
        }
        for (var p = 2; n > 1; p++)
        {
            while (n % p == 0)
            {
                list.Add(p);
                n /= p;
            }
            if (p * p > n && n > 1)
            {
                list.Add(n);
                n = 1;
            }
        }
        return [.. list];
    }
}
