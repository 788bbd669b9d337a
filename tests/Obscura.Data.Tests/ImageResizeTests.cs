namespace Obscura.Data.Tests;

public class ImageResizeTests
{
    [Fact]
    public void Enlarging_InterpolatesBetweenPixelCentres()
    {
        // Output centres of 2 → 4 fall at source positions −0.25, 0.25, 0.75, 1.25.
        var row = ImageResize.Resize([0, 255], 1, 1, 2, 1, 4);
        Assert.Equal([0, 64, 191, 255], row);
    }

    [Fact]
    public void Shrinking_AveragesEverySourcePixel_NotEveryOther()
    {
        // A one-pixel checkerboard halved: sampling every other pixel would give all 0 or all 255;
        // the widened filter sees both colours in equal measure away from the borders.
        const int side = 16;
        var board = Enumerable.Range(0, side * side).Select(i => (byte)((i / side + i % side) % 2 * 255)).ToArray();
        var half = ImageResize.Resize(board, 1, side, side, side / 2, side / 2);
        for (var y = 1; y < side / 2 - 1; y++)
        {
            for (var x = 1; x < side / 2 - 1; x++)
            {
                Assert.InRange(half[y * side / 2 + x], 120, 135);
            }
        }
    }

    [Theory]
    [InlineData(5, 7, 5, 7)]
    [InlineData(5, 7, 28, 28)]
    [InlineData(40, 30, 9, 13)]
    public void AConstantImage_StaysConstant_InEveryPlane(int height, int width, int newHeight, int newWidth)
    {
        var pixels = Enumerable.Repeat((byte)77, height * width).Concat(Enumerable.Repeat((byte)200, height * width)).ToArray();
        var resized = ImageResize.Resize(pixels, 2, height, width, newHeight, newWidth);
        Assert.Equal(2 * newHeight * newWidth, resized.Length);
        Assert.All(resized[..(newHeight * newWidth)], v => Assert.Equal(77, v));
        Assert.All(resized[(newHeight * newWidth)..], v => Assert.Equal(200, v));
    }

    [Fact]
    public void WrongBufferLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ImageResize.Resize(new byte[5], 1, 2, 3, 4, 4));
}
