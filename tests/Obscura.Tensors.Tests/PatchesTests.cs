using Obscura.Tensors.Kernels;

namespace Obscura.Tensors.Tests;

public class PatchesTests
{
    // (C, H, W, KH, KW, stride, padding)
    public static TheoryData<int, int, int, int, int, int, int> Geometries => new()
    {
        { 1, 1, 1, 1, 1, 1, 0 },
        { 2, 5, 5, 3, 3, 1, 1 },
        { 3, 7, 6, 3, 3, 2, 1 },
        { 1, 28, 28, 8, 8, 2, 2 },
        { 16, 12, 12, 4, 4, 2, 0 },
        { 2, 9, 5, 5, 5, 3, 2 },
        { 2, 4, 3, 3, 3, 1, 2 },
        { 3, 6, 9, 2, 3, 2, 0 },
        { 2, 3, 3, 3, 3, 4, 3 },
        { 2, 21, 37, 3, 3, 2, 1 },
        { 1, 20, 40, 2, 2, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2Col_OfABatch_EqualsNaivePatchExtraction(int c, int h, int w, int kh, int kw, int s, int p)
    {
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        const int batch = 3;
        var x = Random(new Random(1), batch * g.ImageLength);
        var cols = new float[g.PatchLength * batch * g.Positions];
        Array.Fill(cols, float.NaN);
        Patches.Im2Col(x, batch, g, cols);
        var ld = batch * g.Positions;
        for (var n = 0; n < batch; n++)
        {
            for (var ch = 0; ch < c; ch++)
            {
                for (var a = 0; a < kh; a++)
                {
                    for (var b = 0; b < kw; b++)
                    {
                        var row = (ch * kh + a) * kw + b;
                        for (var oy = 0; oy < g.OutHeight; oy++)
                        {
                            for (var ox = 0; ox < g.OutWidth; ox++)
                            {
                                int iy = oy * s - p + a, ix = ox * s - p + b;
                                var expected = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((n * c + ch) * h + iy) * w + ix] : 0f;
                                Assert.Equal(expected, cols[row * ld + n * g.Positions + oy * g.OutWidth + ox]);
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_IsTheAdjointOfIm2Col(int c, int h, int w, int kh, int kw, int s, int p)
    {
        // ⟨im2col x, y⟩ = ⟨x, col2im y⟩ for random x and y, in double.
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        const int batch = 2;
        var rng = new Random(2);
        var x = Random(rng, batch * g.ImageLength);
        var y = Random(rng, g.PatchLength * batch * g.Positions);
        var cols = new float[y.Length];
        var back = new float[x.Length];
        Array.Fill(back, float.NaN);
        Patches.Im2Col(x, batch, g, cols);
        Patches.Col2Im(y, batch, g, back);
        double left = 0, right = 0, scale = 0;
        for (var i = 0; i < y.Length; i++)
        {
            left += (double)cols[i] * y[i];
            scale += Math.Abs((double)cols[i] * y[i]);
        }
        for (var i = 0; i < x.Length; i++)
        {
            right += (double)x[i] * back[i];
        }
        Assert.True(Math.Abs(left - right) <= 1e-5 * (1 + scale), $"{g}: ⟨im2col x, y⟩ = {left}, ⟨x, col2im y⟩ = {right}.");
    }

    [Fact]
    public void Geometry_KernelLargerThanPaddedInput_ThrowsNamingTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvGeometry(1, 3, 3, 6, 6, 1, 1));
        Assert.Contains("6×6", e.Message);
    }

    [Fact]
    public void Im2Col_TooSmallDestination_Throws()
    {
        var g = new ConvGeometry(2, 5, 5, 3, 3, 1, 1);
        Assert.Throws<ArgumentException>(() => Patches.Im2Col(new float[g.ImageLength], 1, g, new float[g.PatchLength * g.Positions - 1]));
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(2 * rng.NextDouble() - 1);
        }
        return values;
    }
}
