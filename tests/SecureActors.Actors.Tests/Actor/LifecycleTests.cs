using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class LifecycleTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private async Task<IActorRef> StartParentWithChildAsync(SupervisorStrategy? strategy = null)
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(strategy ?? SupervisorStrategy.DefaultStrategy)));
        supervisor.Tell((Props.Create(() => new TestActors.Lifecycle(TestActor, "p")), "p"));
        var parent = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("p:ctor");
        await ExpectMsgAsync("p:preStart");
        parent.Tell("child:c");
        await ExpectMsgAsync("c:ctor");
        await ExpectMsgAsync("c:preStart");
        return parent;
    }

    [Fact]
    public async Task Create_ConstructorThenPreStart_InOrder()
    {
        Sys.ActorOf(Props.Create(() => new TestActors.Lifecycle(TestActor)));
        await ExpectMsgAsync("a:ctor");
        await ExpectMsgAsync("a:preStart");
    }

    [Fact]
    public async Task Stop_WithChild_StopsChildBeforeParentPostStop()
    {
        var parent = await StartParentWithChildAsync();
        Watch(parent);
        parent.Tell("stop");
        await ExpectMsgAsync("c:postStop");
        await ExpectMsgAsync("p:postStop");
        await ExpectTerminatedAsync(parent);
    }

    [Fact]
    public async Task Restart_DefaultHooks_FollowAkkaOrderAndDropFailingMessage()
    {
        var parent = await StartParentWithChildAsync();
        parent.Tell("fail");
        parent.Tell("after");
        await ExpectMsgAsync("p:preRestart:fail");
        await ExpectMsgAllOfAsync("c:postStop", "p:postStop");
        await ExpectMsgAsync("p:ctor");
        await ExpectMsgAsync("p:postRestart");
        await ExpectMsgAsync("p:preStart");
        await ExpectMsgAsync("p:got:after");
        await ExpectNoMsgAsync();
    }

    [Fact]
    public async Task Restart_ChildNameIsFreedAfterPreRestartStopsIt()
    {
        var parent = await StartParentWithChildAsync();
        parent.Tell("fail");
        await FishForMessageAsync(m => m is "p:preStart");
        parent.Tell("child:c");
        await ExpectMsgAsync("c:ctor");
        await ExpectMsgAsync("c:preStart");
    }

    [Fact]
    public async Task PostStop_Throws_IsLoggedAndActorStillTerminates()
    {
        var actor = Watch(Sys.ActorOf(Props.Create(() => new ThrowingPostStop())));
        await EventFilter.Exception<InvalidOperationException>(contains: "postStop").ExpectOneAsync(() => Sys.Stop(actor));
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task PoisonPill_AfterEarlierMessages_StopsOnceTheyAreHandled()
    {
        var actor = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell(PoisonPill.Instance);
        actor.Tell(3);
        await ExpectMsgAsync(1);
        await ExpectMsgAsync(2);
        await ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync();
    }

    [Fact]
    public async Task Kill_DefaultStrategy_StopsActorAndLogsActorKilled()
    {
        var actor = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        await EventFilter.Exception<ActorKilledException>().ExpectOneAsync(() => actor.Tell(Kill.Instance));
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task GracefulStop_LiveActor_ReturnsTrueAfterTermination()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Assert.True(await actor.GracefulStop(Dilated(TimeSpan.FromSeconds(3))));
        Assert.True(actor.AsInternalForTest().IsTerminated);
    }

    [Fact]
    public async Task GracefulStop_ActorIgnoringStopMessage_ReturnsFalseAfterTimeout()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Assert.False(await actor.GracefulStop(TimeSpan.FromMilliseconds(100), "not-a-stop"));
    }

    [Fact]
    public async Task ReceiveTimeout_Idle_FiresRepeatedlyUntilTurnedOff()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor)));
        await ExpectMsgAsync("timeout");
        await ExpectMsgAsync("timeout");
        actor.Tell("off");
        await ExpectMsgAsync("off");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ReceiveTimeout_BusyActor_DoesNotFire()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromMilliseconds(300))));
        for (var i = 0; i < 6; i++)
        {
            actor.Tell("ping");
            await ExpectMsgAsync("ping");
            await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public async Task Become_AndStacked_SwitchAndRestoreBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switcher()));
        actor.Tell("who");
        await ExpectMsgAsync("initial");
        actor.Tell("push");
        actor.Tell("who");
        await ExpectMsgAsync("pushed");
        actor.Tell("pop");
        actor.Tell("who");
        await ExpectMsgAsync("initial");
        actor.Tell("replace");
        actor.Tell("who");
        await ExpectMsgAsync("replaced");
    }

    [Fact]
    public async Task Unhandled_Message_IsPublishedAsUnhandledMessage()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(SecureActors.Actors.Event.UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new Switcher()));
        actor.Tell(12345);
        var unhandled = await probe.ExpectMsgAsync<SecureActors.Actors.Event.UnhandledMessage>();
        Assert.Equal(12345, unhandled.Message);
        Assert.Same(actor, unhandled.Recipient);
    }

    [Fact]
    public async Task Stash_UnstashAll_ReplaysInOriginalOrderBeforeNewMail()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Stasher()));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("open");
        actor.Tell("c");
        await ExpectMsgAsync("a");
        await ExpectMsgAsync("b");
        await ExpectMsgAsync("c");
    }

    [Fact]
    public async Task ReceiveAsync_AwaitingTask_SuspendsMailboxAndKeepsSender()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(gate.Task)));
        actor.Tell("first");
        actor.Tell("second");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        gate.SetResult("done");
        await ExpectMsgAsync("first:done");
        Assert.Same(actor, LastSender);
        await ExpectMsgAsync("second:done");
    }

    [Fact]
    public async Task ReceiveAsync_FaultedTask_IsAFailureOfTheActor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(Task.FromException<string>(new InvalidOperationException("async boom")))));
        await EventFilter.Exception<InvalidOperationException>(contains: "async boom").ExpectOneAsync(() => actor.Tell("go"));
    }

    private sealed class ThrowingPostStop : ReceiveActor
    {
        public ThrowingPostStop() => ReceiveAny(_ => { });

        protected override void PostStop() => throw new InvalidOperationException("postStop");
    }

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor(IActorRef reporter, TimeSpan? timeout = null)
        {
            Context.SetReceiveTimeout(timeout ?? TimeSpan.FromMilliseconds(50));
            Receive<ReceiveTimeout>(_ => reporter.Tell("timeout"));
            Receive<string>(s => s == "off", s =>
            {
                Context.SetReceiveTimeout(null);
                reporter.Tell(s);
            });
            Receive<string>(s => reporter.Tell(s));
        }
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher()
        {
            Receive<string>(s => s == "who", _ => Sender.Tell("initial"));
            Receive<string>(s => s == "push", _ => BecomeStacked(() =>
            {
                Receive<string>(s => s == "who", _ => Sender.Tell("pushed"));
                Receive<string>(s => s == "pop", _ => UnbecomeStacked());
            }));
            Receive<string>(s => s == "replace", _ => Become(() => Receive<string>(s => s == "who", _ => Sender.Tell("replaced"))));
        }
    }

    private sealed class Stasher : ReceiveActor, IWithUnboundedStash
    {
        public Stasher()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(() => ReceiveAny(m => Sender.Tell(m)));
                Stash.UnstashAll();
            });
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(Task<string> gate) => ReceiveAsync<string>(async s =>
        {
            var result = await gate;
            Sender.Tell($"{s}:{result}", Self);
        });
    }
}

internal static class ActorRefTestExtensions
{
    public static InternalActorRef AsInternalForTest(this IActorRef actor) => actor.AsInternal();
}
