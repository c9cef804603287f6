using SecureActors.Client.Connection;

namespace SecureActors.Client.Tests.Connection;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void GetSpan_WritesBeyondOneRent_KeepsEveryByteInOrder()
    {
        using var writer = new PooledBufferWriter();
        for (var i = 0; i < 10_000; i++)
        {
            writer.GetSpan(1)[0] = (byte)i;
            writer.Advance(1);
        }

        Assert.Equal(10_000, writer.WrittenCount);
        Assert.True(writer.WrittenMemory.Span.SequenceEqual(Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Reset_AfterABatch_ReleasesTheBuffer()
    {
        using var writer = new PooledBufferWriter();
        writer.GetSpan(100);
        writer.Advance(100);

        writer.Reset();

        Assert.Equal(0, writer.WrittenCount);
        Assert.True(writer.WrittenMemory.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => writer.Advance(1));
    }
}
