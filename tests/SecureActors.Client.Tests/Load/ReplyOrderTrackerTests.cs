using SecureActors.Client.Load;

namespace SecureActors.Client.Tests.Load;

public sealed class ReplyOrderTrackerTests
{
    [Fact]
    public void Classify_InOrder_AllOk()
    {
        var tracker = new ReplyOrderTracker();

        Assert.All(Enumerable.Range(1, 100), i => Assert.Equal(ReplyVerdict.Ok, tracker.Classify((ulong)i, (ulong)i)));
    }

    [Fact]
    public void Classify_SwappedPair_BothReordered()
    {
        var tracker = new ReplyOrderTracker();
        tracker.Classify(1, 1);

        Assert.Equal(ReplyVerdict.Reordered, tracker.Classify(3, 2));
        Assert.Equal(ReplyVerdict.Reordered, tracker.Classify(2, 3));
        Assert.Equal(ReplyVerdict.Ok, tracker.Classify(4, 4));
    }

    [Fact]
    public void Classify_RepeatedReply_IsDuplicated()
    {
        var tracker = new ReplyOrderTracker();
        tracker.Classify(1, 1);
        tracker.Classify(2, 2);

        Assert.Equal(ReplyVerdict.Duplicated, tracker.Classify(2, 3));
        Assert.Equal(ReplyVerdict.Duplicated, tracker.Classify(1, 4));
    }

    [Fact]
    public void Classify_EarlyReplyRepeatedInItsOwnPlace_IsDuplicated()
    {
        var tracker = new ReplyOrderTracker();

        Assert.Equal(ReplyVerdict.Reordered, tracker.Classify(2, 1));
        Assert.Equal(ReplyVerdict.Duplicated, tracker.Classify(2, 2));
    }

    [Fact]
    public void PayloadFactory_WrittenMessage_VerifiesAndAlteredOneDoesNot()
    {
        var factory = new PayloadFactory(16, 200, seed: 3);
        var buffer = new byte[factory.MaxSize];
        var length = factory.Write(buffer, slot: 7, generation: 2, sequence: 42);

        Assert.True(factory.TryVerify(buffer.AsSpan(0, length), 7, 2, out var sequence));
        Assert.Equal(42UL, sequence);
        buffer[length - 1] ^= 1;
        Assert.False(factory.TryVerify(buffer.AsSpan(0, length), 7, 2, out _));
        Assert.False(factory.TryVerify(buffer.AsSpan(0, length - 1), 7, 2, out _));
    }
}
