using System.Collections.Concurrent;
using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class CoordinatedShutdownTests(ITestOutputHelper output) : TestKit.TestKit(@"
actors.coordinated-shutdown.phases.service-requests-done.timeout = 200 ms
actors.coordinated-shutdown.phases.service-stop.timeout = 200 ms
actors.coordinated-shutdown.phases.service-stop.recover = off
", output)
{
    [Fact]
    public void OrderedPhases_FollowDependencies()
    {
        var phases = CoordinatedShutdown.Get(Sys).OrderedPhases;
        Assert.Equal(
            [CoordinatedShutdown.PhaseBeforeServiceUnbind, CoordinatedShutdown.PhaseServiceUnbind, CoordinatedShutdown.PhaseServiceRequestsDone,
             CoordinatedShutdown.PhaseServiceStop, CoordinatedShutdown.PhaseBeforeActorSystemTerminate, CoordinatedShutdown.PhaseActorSystemTerminate],
            phases);
    }

    [Fact]
    public void TopologicalOrder_Cycle_Throws()
    {
        CoordinatedShutdownSettings.Phase[] phases = [new("a", TimeSpan.FromSeconds(1), true, ["b"]), new("b", TimeSpan.FromSeconds(1), true, ["a"])];
        Assert.Throws<SecureActors.Hocon.ConfigException>(() => CoordinatedShutdown.TopologicalOrder(phases));
    }

    [Fact]
    public async Task Run_ExecutesTasksPhaseByPhaseThenTerminatesSystem()
    {
        var order = new ConcurrentQueue<string>();
        var cs = CoordinatedShutdown.Get(Sys);
        cs.AddTask(CoordinatedShutdown.PhaseServiceStop, "stop", () =>
        {
            order.Enqueue("stop");
            return Task.CompletedTask;
        });
        cs.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "unbind", () =>
        {
            order.Enqueue("unbind");
            return Task.CompletedTask;
        });
        await cs.Run(CoordinatedShutdown.UnknownReason.Instance);
        Assert.Equal(["unbind", "stop"], order);
        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.Same(CoordinatedShutdown.UnknownReason.Instance, cs.ShutdownReason);
    }

    [Fact]
    public async Task Run_PhaseTimesOut_LogsAndContinues()
    {
        var cs = CoordinatedShutdown.Get(Sys);
        var never = new TaskCompletionSource();
        var later = false;
        cs.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "hang", () => never.Task);
        cs.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "later", () =>
        {
            later = true;
            return Task.CompletedTask;
        });
        await EventFilter.Warning(contains: "timed out").ExpectOneAsync(() => cs.Run(CoordinatedShutdown.UnknownReason.Instance));
        await Sys.WhenTerminated;
        Assert.True(later);
    }

    [Fact]
    public async Task Run_FailingPhaseWithoutRecover_SkipsRemainingPhases()
    {
        var cs = CoordinatedShutdown.Get(Sys);
        var later = false;
        cs.AddTask(CoordinatedShutdown.PhaseServiceStop, "fails", () => Task.FromException(new InvalidOperationException("stop failed")));
        cs.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "later", () =>
        {
            later = true;
            return Task.CompletedTask;
        });
        await cs.Run(CoordinatedShutdown.UnknownReason.Instance);
        Assert.False(later);
        await Sys.FinalTerminate();
    }

    [Fact]
    public async Task Run_CalledTwice_RunsOnce()
    {
        var cs = CoordinatedShutdown.Get(Sys);
        var count = 0;
        cs.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "count", () =>
        {
            Interlocked.Increment(ref count);
            return Task.CompletedTask;
        });
        var first = cs.Run(CoordinatedShutdown.UnknownReason.Instance);
        var second = cs.Run(CoordinatedShutdown.ClrExitReason.Instance);
        Assert.Same(first, second);
        await first;
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Terminate_RunsCoordinatedShutdownAndStopsActors()
    {
        var ran = false;
        CoordinatedShutdown.Get(Sys).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "flag", () =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        var actor = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        await Sys.Terminate();
        Assert.True(ran);
        Assert.True(actor.AsInternal().IsTerminated);
        Assert.IsType<CoordinatedShutdown.ActorSystemTerminateReason>(CoordinatedShutdown.Get(Sys).ShutdownReason);
    }

    [Fact]
    public void AddTask_UnknownPhase_Throws()
    {
        Assert.Throws<ArgumentException>(() => CoordinatedShutdown.Get(Sys).AddTask("no-such-phase", "t", () => Task.CompletedTask));
    }
}
