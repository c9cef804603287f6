using SecureActors.Server.Session;

namespace SecureActors.Server.Tests.Session;

public sealed class ReplySequencerTests
{
    [Fact]
    public void Sequencer_RepliesArriveOutOfOrder_ReleasesThemInRequestOrder()
    {
        var sequencer = new ReplySequencer();
        sequencer.Expect(1);
        sequencer.Expect(2);
        sequencer.Expect(3);

        Assert.True(sequencer.Complete(3, [3]));
        Assert.False(sequencer.TryTakeNext(out _, out _));
        Assert.True(sequencer.Complete(1, [1]));
        Assert.True(sequencer.Complete(2, [2]));

        var released = new List<ulong>();
        while (sequencer.TryTakeNext(out var id, out _))
        {
            released.Add(id);
        }

        Assert.Equal([1UL, 2UL, 3UL], released);
        Assert.Equal(0, sequencer.InFlight);
    }

    [Fact]
    public void Sequencer_UnknownOrDuplicateReply_IsRejected()
    {
        var sequencer = new ReplySequencer();
        sequencer.Expect(1);

        Assert.False(sequencer.Complete(2, []));
        Assert.True(sequencer.Complete(1, []));
        Assert.False(sequencer.Complete(1, []));
    }

    [Fact]
    public void Sequencer_NextRequestAnsweredAtOnce_LeavesWithoutBeingStored()
    {
        var sequencer = new ReplySequencer();
        sequencer.Expect(1);
        sequencer.Expect(2);

        Assert.True(sequencer.TryReleaseNow(1));

        Assert.Equal(1, sequencer.InFlight);
        Assert.False(sequencer.IsPending(1));
        Assert.False(sequencer.TryReleaseNow(1));
        Assert.True(sequencer.TryReleaseNow(2));
        Assert.Equal(0, sequencer.InFlight);
    }

    [Fact]
    public void Sequencer_AnEarlierRequestUnanswered_DoesNotReleaseALaterOneAtOnce()
    {
        var sequencer = new ReplySequencer();
        sequencer.Expect(1);
        sequencer.Expect(2);

        Assert.False(sequencer.TryReleaseNow(2));
        Assert.False(sequencer.TryReleaseNow(3));

        Assert.True(sequencer.Complete(2, "two"u8.ToArray()));
        Assert.True(sequencer.TryReleaseNow(1));
        Assert.True(sequencer.TryTakeNext(out var id, out _));
        Assert.Equal(2UL, id);
    }

    [Fact]
    public void Sequencer_RequestOutOfSequence_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ReplySequencer().Expect(2));
}
