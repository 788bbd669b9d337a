using Obscura.Data.Tests.Support;
using Obscura.Tensors;

namespace Obscura.Data.Tests;

public class BatchAssemblerTests
{
    [Fact]
    public void Gather_CopiesImagesAndLabelsInIndexOrder()
    {
        var data = TestDatasets.Random(10, 3, 4, 4, seed: 1);
        var images = new Tensor(0);
        var labels = new int[10];

        var count = BatchAssembler.Gather(data, [7, 2, 7, 0], images, labels);

        Assert.Equal(4, count);
        Assert.True(images.HasShape([4, 3, 4, 4]));
        Assert.Equal(data.Image(7).ToArray(), images.Item(0).ToArray());
        Assert.Equal(data.Image(2).ToArray(), images.Item(1).ToArray());
        Assert.Equal(data.Image(7).ToArray(), images.Item(2).ToArray());
        Assert.Equal(data.Image(0).ToArray(), images.Item(3).ToArray());
        Assert.Equal([7, 2, 7, 0], labels[..4]);
    }

    [Fact]
    public void Gather_EmptyIndexArray_GivesEmptyBatch()
    {
        var data = TestDatasets.Random(3, 1, 2, 2);
        var images = new Tensor(5, 1, 2, 2);

        var count = BatchAssembler.Gather(data, [], images, []);

        Assert.Equal(0, count);
        Assert.True(images.HasShape([0, 1, 2, 2]));
        Assert.Equal(0, images.Length);
    }

    [Fact]
    public void Gather_LargeBatch_ParallelCopyMatchesSubset()
    {
        var data = TestDatasets.Random(600, 3, 32, 32, seed: 2);
        var rng = new Random(3);
        var indices = Enumerable.Range(0, 500).Select(_ => rng.Next(600)).ToArray();
        var images = new Tensor(0);
        var labels = new int[600];

        BatchAssembler.Gather(data, indices, images, labels);

        var expected = data.Subset(indices);
        Assert.Equal(expected.Pixels.ToArray(), images.Span.ToArray());
        Assert.Equal(expected.Labels.ToArray(), labels[..500]);
    }

    [Fact]
    public void Gather_ReusedBuffers_AllocateNoPixelMemory()
    {
        var data = TestDatasets.Random(20, 1, 8, 8);
        var images = new Tensor(0);
        var labels = new int[20];
        int[] indices = [3, 1, 4, 1, 5];
        BatchAssembler.Gather(data, indices, images, labels);

        var before = GC.GetAllocatedBytesForCurrentThread();
        BatchAssembler.Gather(data, indices.AsSpan(0, 3), images, labels);
        BatchAssembler.Gather(data, indices, images, labels);

        // Tensor.Resize copies its shape (two small int[]); nothing proportional to the batch.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256);
    }

    [Fact]
    public void Gather_IndexOutOfRange_IsRejected()
    {
        var data = TestDatasets.Random(3, 1, 2, 2);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BatchAssembler.Gather(data, [0, -1], new Tensor(0), new int[2]));

        Assert.Contains("index -1 at position 1", e.Message);
    }

    [Fact]
    public void Gather_ShortLabelBuffer_IsRejected()
    {
        var data = TestDatasets.Random(3, 1, 2, 2);

        Assert.Throws<ArgumentException>(() => BatchAssembler.Gather(data, [0, 1], new Tensor(0), new int[1]));
    }
}
