using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class DeathWatchTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task Watch_ActorStops_DeliversTerminatedWithExistenceConfirmed()
    {
        var target = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        Sys.Stop(target);
        var terminated = await ExpectTerminatedAsync(target);
        Assert.True(terminated.ExistenceConfirmed);
    }

    [Fact]
    public async Task Watch_AlreadyDeadActor_StillDeliversTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Assert.True(await target.GracefulStop(Dilated(TimeSpan.FromSeconds(3))));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(target);
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Same(target, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public async Task WatchWith_ActorStops_DeliversCustomMessage()
    {
        var target = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("with", target));
        await ExpectMsgAsync("watching");
        Sys.Stop(target);
        await ExpectMsgAsync("custom:gone");
    }

    [Fact]
    public async Task Unwatch_BeforeStop_NoTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("watch-unwatch", target));
        await ExpectMsgAsync("unwatched");
        Sys.Stop(target);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Unwatch_TerminatedAlreadyQueued_IsDiscarded()
    {
        var target = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("queued", target));
        await ExpectMsgAsync("unwatched-after-death");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task UnhandledTerminated_ThrowsDeathPactException()
    {
        var target = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        var pact = Watch(Sys.ActorOf(Props.Create(() => new PactActor(target))));
        await EventFilter.Exception<DeathPactException>().ExpectOneAsync(() => Sys.Stop(target));
        await ExpectTerminatedAsync(pact);
    }

    [Fact]
    public async Task TestProbe_Watch_ReceivesTerminated()
    {
        var probe = CreateTestProbe();
        var target = probe.Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        target.Tell(PoisonPill.Instance);
        await probe.ExpectTerminatedAsync(target);
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef reporter)
        {
            Receive<IActorRef>(a => Context.Watch(a));
            Receive<(string, IActorRef)>(t => t.Item1 == "with", t =>
            {
                Context.WatchWith(t.Item2, "custom:gone");
                reporter.Tell("watching");
            });
            Receive<(string, IActorRef)>(t => t.Item1 == "watch-unwatch", t =>
            {
                Context.Watch(t.Item2);
                Context.Unwatch(t.Item2);
                reporter.Tell("unwatched");
            });
            Receive<(string, IActorRef)>(t => t.Item1 == "queued", t =>
            {
                Context.Watch(t.Item2);
                Context.Stop(t.Item2);
                // Stay busy until the watchee is dead, then queue the unwatch request: it lands in the
                // mailbox before the Terminated, which is only queued once this handler returns.
                SpinWait.SpinUntil(() => t.Item2.AsInternal().IsTerminated, TimeSpan.FromSeconds(5));
                Self.Tell(("unwatch", t.Item2), Self);
            });
            Receive<(string, IActorRef)>(t => t.Item1 == "unwatch", t =>
            {
                Context.Unwatch(t.Item2);
                reporter.Tell("unwatched-after-death");
            });
            Receive<string>(s => reporter.Tell(s));
            Receive<Terminated>(t => reporter.Tell(t));
        }
    }

    private sealed class PactActor : ReceiveActor
    {
        public PactActor(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }
}
