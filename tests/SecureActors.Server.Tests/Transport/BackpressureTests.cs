using SecureActors.Server.Transport;

namespace SecureActors.Server.Tests.Transport;

public sealed class BackpressureTests
{
    [Fact]
    public void OutboundQueue_OverItsByteLimit_RefusesWithoutGrowing()
    {
        var queue = new OutboundQueue(limitBytes: 10);
        Assert.True(queue.TryEnqueue(new byte[6]));

        Assert.False(queue.TryEnqueue(new byte[6]));
        Assert.Equal(6, queue.QueuedBytes);

        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryEnqueue(new byte[10]));
    }

    [Fact]
    public void OutboundQueue_CallerReusesItsBuffer_TheQueuedBytesAreUnchanged()
    {
        var queue = new OutboundQueue(limitBytes: 100);
        var buffer = new byte[] { 1, 2, 3 };
        Assert.True(queue.TryEnqueue(buffer));

        buffer.AsSpan().Fill(9);

        Assert.True(queue.TryDequeue(out var queued));
        Assert.Equal(new byte[] { 1, 2, 3 }, queued.Memory.ToArray());
        queued.Return();
    }

    [Fact]
    public async Task InboundGate_FullOfUnprocessedFrames_OpensWhenTheSessionCatchesUp()
    {
        var gate = new InboundGate(maxUnprocessedFrames: 2);
        gate.FrameHandedOver();
        gate.FrameHandedOver();
        var wait = gate.WaitOpenAsync();
        Assert.False(wait.IsCompleted);

        gate.FrameHandled();

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
