using SecureActors.Client.Load;

namespace SecureActors.Client.Tests.Load;

public sealed class StartBarrierTests
{
    [Fact]
    public void ArriveAsync_OpensOnTheLastArrivalAndRunsTheOpeningOnce()
    {
        var openings = 0;
        var barrier = new StartBarrier(3, () => openings++);

        var first = barrier.ArriveAsync();
        var second = barrier.ArriveAsync();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(0, openings);

        var last = barrier.ArriveAsync();

        Assert.True(barrier.Opened.IsCompleted);
        Assert.True(first.IsCompleted && second.IsCompleted && last.IsCompleted);
        Assert.Equal(1, openings);
    }

    [Fact]
    public void Release_BeforeEveryoneArrived_OpensWithoutTheOpening()
    {
        var openings = 0;
        var barrier = new StartBarrier(2, () => openings++);
        var waiting = barrier.ArriveAsync();

        barrier.Release();

        Assert.True(waiting.IsCompleted);
        Assert.Equal(0, openings);
    }
}
