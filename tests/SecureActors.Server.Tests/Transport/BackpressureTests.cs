using SecureActors.Server.Transport;

namespace SecureActors.Server.Tests.Transport;

public sealed class BackpressureTests
{
    [Fact]
    public void OutboundQueue_OverItsByteLimit_RefusesWithoutGrowing()
    {
        var queue = new OutboundQueue(limitBytes: 10);
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([0]));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn(new byte[6]));

        Assert.Equal(SendTurn.Refused, queue.TryEnqueueOrTakeTurn(new byte[6]));
        Assert.Equal(6, queue.QueuedBytes);

        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn(new byte[10]));
    }

    [Fact]
    public void OutboundQueue_CallerReusesItsBuffer_TheQueuedBytesAreUnchanged()
    {
        var queue = new OutboundQueue(limitBytes: 100);
        var buffer = new byte[] { 1, 2, 3 };
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([0]));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn(buffer));

        buffer.AsSpan().Fill(9);

        Assert.True(queue.TryDequeue(out var queued));
        Assert.Equal(new byte[] { 1, 2, 3 }, queued.Memory.ToArray());
        queued.Return();
    }

    [Fact]
    public void OutboundQueue_SendSideIdle_FirstSenderGetsTheTurnAndLaterOnesQueueBehindIt()
    {
        var queue = new OutboundQueue(limitBytes: 100);

        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([1, 2]));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn([3]));
        Assert.Equal(1, queue.QueuedBytes);

        Assert.Equal(TurnEnd.MoreQueued, queue.TryEndTurn());
        Assert.True(queue.TryDequeue(out var queued));
        Assert.Equal(new byte[] { 3 }, queued.Memory.ToArray());
        queued.Return();
        Assert.Equal(TurnEnd.Idle, queue.TryEndTurn());
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([4]));
    }

    [Fact]
    public void OutboundQueue_TurnHeldAndOverTheLimit_RefusesTheNewBytes()
    {
        var queue = new OutboundQueue(limitBytes: 4);
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn(new byte[10]));

        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn(new byte[4]));
        Assert.Equal(SendTurn.Refused, queue.TryEnqueueOrTakeTurn(new byte[1]));
    }

    [Fact]
    public void OutboundQueue_UnsentRestOfTheOwnersWrite_GoesFirstWhateverTheLimit()
    {
        var queue = new OutboundQueue(limitBytes: 4);
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn(new byte[10]));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn([7, 7]));

        queue.RequeueUnsent([1, 2, 3, 4, 5, 6]);

        Assert.Equal(8, queue.QueuedBytes);
        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, first.Memory.ToArray());
        Assert.True(queue.TryDequeue(out var second));
        Assert.Equal(new byte[] { 7, 7 }, second.Memory.ToArray());
        first.Return();
        second.Return();
    }

    [Fact]
    public void OutboundQueue_CompletedWhileIdle_TheCloserOwnsTheShutdownAndSendsAreRefused()
    {
        var queue = new OutboundQueue(limitBytes: 100);

        Assert.True(queue.Complete());

        Assert.False(queue.Complete());
        Assert.Equal(SendTurn.Refused, queue.TryEnqueueOrTakeTurn([1]));
    }

    [Fact]
    public void OutboundQueue_CompletedDuringASend_TheSenderShutsDownWhenItsTurnEnds()
    {
        var queue = new OutboundQueue(limitBytes: 100);
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([1]));

        Assert.False(queue.Complete());

        Assert.Equal(TurnEnd.IdleAndCompleted, queue.TryEndTurn());
        Assert.Equal(SendTurn.Refused, queue.TryEnqueueOrTakeTurn([2]));
    }

    [Fact]
    public void OutboundQueue_Discarded_ForgetsWhatWasQueuedAndRefusesMore()
    {
        var queue = new OutboundQueue(limitBytes: 100);
        Assert.Equal(SendTurn.Yours, queue.TryEnqueueOrTakeTurn([1]));
        Assert.Equal(SendTurn.Queued, queue.TryEnqueueOrTakeTurn([2, 3]));

        queue.Discard();

        Assert.Equal(0, queue.QueuedBytes);
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(SendTurn.Refused, queue.TryEnqueueOrTakeTurn([4]));
    }

    [Fact]
    public async Task InboundGate_FullOfUnprocessedFrames_OpensWhenTheSessionCatchesUp()
    {
        var gate = new InboundGate(maxUnprocessedFrames: 2);
        gate.FramesHandedOver(1);
        gate.FramesHandedOver(1);
        var wait = gate.WaitOpenAsync();
        Assert.False(wait.IsCompleted);

        gate.FramesHandled(1);

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task InboundGate_HeldBySession_OpensOnResume()
    {
        var gate = new InboundGate(maxUnprocessedFrames: 100);
        gate.Hold();
        var wait = gate.WaitOpenAsync();
        Assert.False(wait.IsCompleted);

        gate.Resume();

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
