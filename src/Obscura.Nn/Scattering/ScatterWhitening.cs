using Obscura.Nn.Layers;
using Obscura.Tensors;
using Obscura.Tensors.Blas;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Obscura.Nn.Scattering;

/// <summary>
/// A fixed linear map that decorrelates compressed, per-example GroupNorm'd ScatterNet features (<see cref="ScatterScales"/>), estimated from
/// <see cref="SyntheticShapes"/> only, so it costs no privacy. DP-SGD on a linear head converges
/// slowly along the features' many weak, correlated directions; on whitened features it does not
/// (BENCHMARKS.md, "whitening").
/// </summary>
/// <remarks>
/// With S the synthetic features' second moment and A = S + λI (λ = <see cref="Ridge"/>·λ_max(S)),
/// the map is P = s·L⁻¹ for the Cholesky factor A = LLᵀ; s makes the mean squared norm of the
/// whitened synthetic features equal the feature count, as after GroupNorm. L⁻¹ equals A^(-1/2) up
/// to a rotation, and DP-SGD on a linear model (isotropic noise, norm clipping) does not see
/// rotations of its input, so the cheaper Cholesky factor serves as well as the symmetric root.
/// </remarks>
public sealed class ScatterWhitening
{
    /// <summary>λ relative to the largest eigenvalue of S (chosen on the validation split).</summary>
    public const double Ridge = 0.01;

    /// <summary>
    /// c in log(1 + x/c), the compression of every raw scattering coefficient x before the GroupNorm
    /// (pixels in [0, 1]; c is about the median coefficient of a Fashion-MNIST image). The coefficients
    /// span four decades; compressed, the whitened head learns more from the same private steps
    /// (chosen on the validation split, BENCHMARKS.md).
    /// </summary>
    public const float CompressionScale = 0.003f;

    /// <summary>Synthetic images the map is estimated from.</summary>
    public const int SyntheticCount = 20_000;

    private const int Seed = 20_221_122;

    private readonly float[] _map; // P, row-major [d, d]

    private ScatterWhitening(int length, float[] map)
    {
        for (var i = 0; i < length; i++)
        {
            if (map.AsSpan(i * length + i + 1, length - i - 1).ContainsAnyExcept(0f))
            {
                throw new InvalidOperationException($"ScatterWhitening: row {i} of the map has entries above the diagonal; Apply needs a lower-triangular map.");
            }
        }
        Length = length;
        _map = map;
    }

    /// <summary>d, the number of features in and out.</summary>
    public int Length { get; }

    /// <summary>Estimates the map for the features of <paramref name="scales"/> from synthetic images.</summary>
    public static ScatterWhitening ForImages(ScatterScales scales)
    {
        var normalised = SyntheticFeatures(scales);
        return FromSecondMoment(SecondMoment(normalised, SyntheticCount, scales.FeatureLength), scales.FeatureLength);
    }

    /// <summary>
    /// The normalised features [<see cref="SyntheticCount"/>, <see cref="ScatterScales.FeatureLength"/>] of the
    /// synthetic images at the size of <paramref name="scales"/>, the sample every fixed map here is estimated from.
    /// </summary>
    public static float[] SyntheticFeatures(ScatterScales scales)
    {
        var net = scales.Nets[0];
        return scales.Transform(SyntheticShapes.Generate(SyntheticCount, net.Channels, net.Height, net.Width, Seed), SyntheticCount);
    }

    /// <summary>
    /// Each raw coefficient compressed (<see cref="Compress"/>), then per-example GroupNorm over
    /// <paramref name="groups"/> groups (Tramèr and Boneh's 27 for J = 2) without affine parameters, as the
    /// scatter heads apply it. Every step acts on one example alone.
    /// </summary>
    public static float[] Normalise(float[] features, int count, int[] shape, int groups = 27)
    {
        var norm = new GroupNorm(groups, shape[0], affine: false);
        var output = norm.Forward(Tensor.FromArray(Compress(features), [count, .. shape]));
        return output.Span.ToArray();
    }

    /// <summary>log(1 + max(x, 0)/<see cref="CompressionScale"/>) of every coefficient (moduli and low-passed [0, 1] pixels, so x ≥ 0 up to rounding).</summary>
    public static float[] Compress(ReadOnlySpan<float> features)
    {
        var result = new float[features.Length];
        TensorPrimitives.Max(features, 0f, result);
        TensorPrimitives.Multiply(result, 1f / CompressionScale, result);
        TensorPrimitives.LogP1(result, result);
        return result;
    }

    /// <summary>The map for a second-moment matrix <paramref name="secondMoment"/> (row-major [d, d], symmetric).</summary>
    public static ScatterWhitening FromSecondMoment(double[] secondMoment, int d)
    {
        var ridge = Ridge * LargestEigenvalue(secondMoment, d);
        var a = (double[])secondMoment.Clone();
        for (var i = 0; i < d; i++)
        {
            a[i * d + i] += ridge;
        }
        var inverse = InverseCholeskyFactor(a, d);
        // E‖L⁻¹z‖² = tr(L⁻¹SL⁻ᵀ) = tr(I − λL⁻¹L⁻ᵀ) = d − λ‖L⁻¹‖²_F.
        var frobenius = 0.0;
        foreach (var v in inverse)
        {
            frobenius += v * v;
        }
        var scale = Math.Sqrt(d / (d - ridge * frobenius));
        var map = new float[d * d];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = (float)(scale * inverse[i]);
        }
        return new ScatterWhitening(d, map);
    }

    /// <summary>Maps <paramref name="count"/> rows of normalised features [count, d] to P·x each.</summary>
    public float[] Apply(float[] normalised, int count)
    {
        var output = new float[checked(count * Length)];
        Apply(normalised, count, output);
        return output;
    }

    /// <summary>Writes P·x for each of <paramref name="count"/> rows [count, d] into <paramref name="output"/> [count, d].</summary>
    /// <remarks>
    /// P is lower triangular, so output feature i needs only inputs 0..i: the product runs in
    /// <see cref="ApplyBlocks"/> column blocks, each over the inputs it needs, for a little over half the work of a full product.
    /// </remarks>
    private void Apply(ReadOnlySpan<float> rows, int count, Span<float> output)
    {
        var d = Length;
        foreach (var (first, end) in TriangleBlocks(d))
        {
            // output[:, first..end) = rows[:, 0..end) · P[first..end, 0..end)ᵀ
            Gemm.Sgemm(false, true, count, end - first, end, 1f, rows, d, _map.AsSpan(first * d), d, 0f, output[first..], d);
        }
    }

    private const int ApplyBlocks = 8;

    // The non-empty index ranges [first, end) that split 0..d into ApplyBlocks parts; a lower triangle's
    // rows first..end need columns 0..end only.
    private static IEnumerable<(int First, int End)> TriangleBlocks(int d) =>
        Enumerable.Range(0, ApplyBlocks)
            .Select(block => ((int)((long)d * block / ApplyBlocks), (int)((long)d * (block + 1) / ApplyBlocks)))
            .Where(range => range.Item2 > range.Item1);

    /// <summary>The second moment (1/n)·Σ xxᵀ of <paramref name="count"/> rows [count, d], exactly symmetric, row-major [d, d].</summary>
    /// <remarks>Only the lower triangle is multiplied out (row blocks over the columns they need), then mirrored.</remarks>
    public static double[] SecondMoment(float[] rows, int count, int d)
    {
        var product = new float[d * d];
        foreach (var (first, end) in TriangleBlocks(d))
        {
            // product[first..end, 0..end) = rows[:, first..end)ᵀ · rows[:, 0..end) / count
            Gemm.Sgemm(true, false, end - first, end, count, 1f / count, rows.AsSpan(first), d, rows, d, 0f, product.AsSpan(first * d), d);
        }
        var moment = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                moment[i * d + j] = moment[j * d + i] = product[i * d + j]; // exactly symmetric
            }
        }
        return moment;
    }

    private static double LargestEigenvalue(double[] m, int d)
    {
        var v = Enumerable.Repeat(1.0 / Math.Sqrt(d), d).ToArray();
        var w = new double[d];
        var lambda = 0.0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var i = 0; i < d; i++)
            {
                w[i] = Dot(m.AsSpan(i * d, d), v);
            }
            lambda = Math.Sqrt(Dot(w, w));
            for (var i = 0; i < d; i++)
            {
                v[i] = w[i] / lambda;
            }
        }
        return lambda;
    }

    // L⁻¹ for A = L·Lᵀ, overwriting a: OpenBLAS's LAPACK when it is in use (seconds for d ≈ 12,000),
    // the managed routines below otherwise.
    private static double[] InverseCholeskyFactor(double[] a, int d)
    {
        if (NativeLapack.IsAvailable)
        {
            NativeLapack.CholeskyLower(a, d);
            NativeLapack.InvertLower(a, d);
            return a;
        }
        return InvertLower(Cholesky(a, d), d);
    }

    /// <summary>The lower Cholesky factor of a symmetric positive definite row-major [d, d] matrix.</summary>
    /// <exception cref="ArgumentException">The matrix is not positive definite.</exception>
    public static double[] Cholesky(double[] a, int d)
    {
        var l = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            var rowI = l.AsSpan(i * d, d);
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * d + j] - Dot(rowI[..j], l.AsSpan(j * d, j));
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new ArgumentException($"ScatterWhitening.Cholesky: the matrix is not positive definite (pivot {i} is {sum}).");
                    }
                    rowI[i] = Math.Sqrt(sum);
                }
                else
                {
                    rowI[j] = sum / l[j * d + j];
                }
            }
        }
        return l;
    }

    /// <summary>The inverse of a lower-triangular row-major [d, d] matrix (also lower triangular).</summary>
    public static double[] InvertLower(double[] l, int d)
    {
        // Row i of X = L⁻¹ from X·L = I: X[i, j] = (δᵢⱼ − Σ_{k>j} X[i, k]·L[k, j]) / L[j, j], for j = i down to 0.
        // Working on the transpose keeps the inner sums contiguous: Lᵀ is upper triangular.
        var transposed = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                transposed[j * d + i] = l[i * d + j];
            }
        }
        var x = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            var row = x.AsSpan(i * d, d);
            for (var j = i; j >= 0; j--)
            {
                // Σ_{k=j+1..i} X[i, k]·L[k, j] = Σ row[k]·Lᵀ[j, k].
                var sum = Dot(row.Slice(j + 1, i - j), transposed.AsSpan(j * d + j + 1, i - j));
                row[j] = ((i == j ? 1.0 : 0.0) - sum) / l[j * d + j];
            }
        }
        return x;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
