using Obscura.Data.Tests.Support;

namespace Obscura.Data.Tests;

public class ImageDatasetTests
{
    [Fact]
    public void Constructor_WrongPixelCount_IsRejectedWithShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset("d", new float[10], [0, 1], 1, 2, 2, 2));

        Assert.Contains("need 8 pixel values, got 10", e.Message);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset("d", new float[8], [0, 2], 1, 2, 2, 2));

        Assert.Contains("label 2 of example 1", e.Message);
    }

    [Fact]
    public void ContentHash_DependsOnContentNotName()
    {
        var a = TestDatasets.Random(5, 1, 3, 3, seed: 1);
        var b = new ImageDataset("other name", a.Pixels.ToArray(), a.Labels.ToArray(), 1, 3, 3, 10);
        var pixels = a.Pixels.ToArray();
        pixels[7] += 1e-3f;
        var c = new ImageDataset("random", pixels, a.Labels.ToArray(), 1, 3, 3, 10);
        var labels = a.Labels.ToArray();
        labels[0] = 9;
        var d = new ImageDataset("random", a.Pixels.ToArray(), labels, 1, 3, 3, 10);
        var reshaped = new ImageDataset("random", a.Pixels.ToArray(), a.Labels.ToArray(), 1, 1, 9, 10);

        Assert.Matches("^[0-9a-f]{64}$", a.ContentHash);
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.NotEqual(a.ContentHash, d.ContentHash);
        Assert.NotEqual(a.ContentHash, reshaped.ContentHash);
    }

    [Fact]
    public void Concat_KeepsBothPartsInOrderAndRefusesOtherShapes()
    {
        var a = TestDatasets.Random(3, 1, 2, 2, seed: 4);
        var b = TestDatasets.Random(2, 1, 2, 2, seed: 5);

        var both = a.Concat(b);

        Assert.Equal(5, both.Count);
        Assert.Equal([.. a.Pixels.ToArray(), .. b.Pixels.ToArray()], both.Pixels.ToArray());
        Assert.Equal([.. a.Labels.ToArray(), .. b.Labels.ToArray()], both.Labels.ToArray());
        Assert.Throws<ArgumentException>(() => a.Concat(TestDatasets.Random(2, 1, 1, 4, seed: 6)));
    }

    [Fact]
    public void Subset_CopiesTheChosenExamplesInOrder()
    {
        var data = TestDatasets.Random(6, 2, 3, 3, seed: 2);

        var subset = data.Subset([4, 1, 4]);

        Assert.Equal([3, 2, 3, 3], subset.Shape);
        Assert.Equal(data.Image(4).ToArray(), subset.Image(0).ToArray());
        Assert.Equal(data.Image(1).ToArray(), subset.Image(1).ToArray());
        Assert.Equal([4, 1, 4], subset.Labels.ToArray());
    }

    [Fact]
    public void Subset_IndexOutOfRange_IsRejected()
    {
        var data = TestDatasets.Random(3, 1, 2, 2);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([0, 3]));

        Assert.Contains("index 3 at position 1", e.Message);
    }

    [Fact]
    public void Split_SameSeed_GivesSameDisjointCoveringParts()
    {
        var data = TestDatasets.Random(100, 1, 2, 2, seed: 3);
        // Tag each example with its index in pixel 0 to trace it through the split.
        var pixels = data.Pixels.ToArray();
        for (var i = 0; i < 100; i++)
        {
            pixels[i * 4] = i;
        }
        data = new ImageDataset("tagged", pixels, data.Labels.ToArray(), 1, 2, 2, 10);

        var (train, validation) = data.Split(20, seed: 42);
        var (train2, validation2) = data.Split(20, seed: 42);
        var (_, validation3) = data.Split(20, seed: 43);

        Assert.Equal(80, train.Count);
        Assert.Equal(20, validation.Count);
        var trainIds = Enumerable.Range(0, 80).Select(i => (int)train.Image(i)[0]).ToArray();
        var validationIds = Enumerable.Range(0, 20).Select(i => (int)validation.Image(i)[0]).ToArray();
        Assert.Equal(Enumerable.Range(0, 100), trainIds.Concat(validationIds).Order());
        Assert.Equal(trainIds.Order(), trainIds);
        Assert.Equal(validation.ContentHash, validation2.ContentHash);
        Assert.Equal(train.ContentHash, train2.ContentHash);
        Assert.NotEqual(validation.ContentHash, validation3.ContentHash);
    }
}
