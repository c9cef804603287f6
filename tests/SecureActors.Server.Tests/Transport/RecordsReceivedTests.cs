using System.Buffers;
using SecureActors.Server.Transport;

namespace SecureActors.Server.Tests.Transport;

public sealed class RecordsReceivedTests
{
    // Two whole records as on the wire: type, big-endian length, body.
    private static readonly byte[] TwoRecords = [23, 0, 2, 0xAA, 0xBB, 23, 0, 1, 0xCC];
    private static readonly byte[] OneRecord = [23, 0, 3, 1, 2, 3];

    [Fact]
    public void CopyOf_AfterTheLastMessageWasReleased_ReusesItWithTheNewRecords()
    {
        var spare = new TransportProtocol.RecordsReceived.Spare();
        var first = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(TwoRecords), 2, spare);
        first.Release();

        var second = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, spare);

        Assert.Same(first, second);
        Assert.Equal(1, second.Count);
        var offset = 0;
        Assert.True(second.TryTakeNext(ref offset, out var record));
        Assert.Equal(OneRecord, record.ToArray());
        Assert.False(second.TryTakeNext(ref offset, out _));
    }

    [Fact]
    public void CopyOf_WhileTheLastMessageIsStillHeld_MakesANewOneAndLeavesTheHeldOneIntact()
    {
        var spare = new TransportProtocol.RecordsReceived.Spare();
        var held = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(TwoRecords), 2, spare);

        var next = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, spare);

        Assert.NotSame(held, next);
        var offset = 0;
        Assert.True(held.TryTakeNext(ref offset, out var record));
        Assert.Equal(TwoRecords[..5], record.ToArray());
        Assert.Equal(2, held.Count);
    }

    [Fact]
    public void Release_Twice_GivesTheMessageBackOnce()
    {
        var spare = new TransportProtocol.RecordsReceived.Spare();
        var message = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, spare);
        message.Release();
        message.Release();

        var first = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, spare);
        var second = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, spare);

        Assert.Same(message, first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void TryTakeNext_AfterRelease_Throws()
    {
        var message = TransportProtocol.RecordsReceived.CopyOf(new ReadOnlySequence<byte>(OneRecord), 1, new TransportProtocol.RecordsReceived.Spare());
        message.Release();

        var offset = 0;
        Assert.Throws<ObjectDisposedException>(() => message.TryTakeNext(ref offset, out _));
    }
}
