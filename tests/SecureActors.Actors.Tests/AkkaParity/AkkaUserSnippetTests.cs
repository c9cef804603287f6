using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using SecureActors.Actors.Routing;
using SecureActors.Actors.Scheduling;
using Xunit.Abstractions;

// The fault-tolerance article throws exactly these runtime exception types to pick directives.
#pragma warning disable CA2201

namespace SecureActors.Actors.Tests.AkkaParity;

/// <summary>
/// Code an Akka.NET user would write from getakka.net's actor articles (receive-actor-api,
/// untyped-actor-api, fault-tolerance, routers, schedulers, coordinated-shutdown), re-typed against
/// our API with only the using directives changed, each asserting the behaviour Akka.NET
/// documents. The TestKit here is the async one (Akka.TestKit 1.5's *Async methods): our TestKit
/// has no blocking ExpectMsg/ExpectNoMsg/Within.
/// </summary>
public sealed class AkkaUserSnippetTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    // ---------------------------------------------------------------- actors and Props

    private sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<string>(name => Sender.Tell($"Hello {name}"));
    }

    [Fact]
    public async Task PropsCreateGeneric_And_ActorOfGeneric_CreateAParameterlessActor()
    {
        // Akka: Props.Create<Greeter>(), Sys.ActorOf<Greeter>("name"), Context.ActorOf<T>().
        var viaProps = Sys.ActorOf(Props.Create<Greeter>(), "greeter");
        var viaGeneric = Sys.ActorOf<Greeter>("greeter2");
        var viaTestKit = ActorOf<Greeter>();

        viaProps.Tell("Akka");
        await ExpectMsgAsync("Hello Akka");
        viaGeneric.Tell("Bob");
        await ExpectMsgAsync("Hello Bob");
        viaTestKit.Tell("Carl");
        await ExpectMsgAsync("Hello Carl");
        Assert.Equal("greeter", viaProps.Path.Name);
    }

    private sealed class UntypedGreeter : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case string name:
                    Sender.Tell("Hi " + name);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    [Fact]
    public async Task UntypedActor_UnhandledMessage_IsPublishedOnTheEventStream()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new UntypedGreeter()));

        actor.Tell("Ann");
        await ExpectMsgAsync("Hi Ann");
        actor.Tell(42);
        var unhandled = await ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
    }

    // ---------------------------------------------------------------- Become / Stash

    private sealed class HotSwapActor : ReceiveActor
    {
        public HotSwapActor()
        {
            Receive<string>(s => s.Equals("foo", StringComparison.Ordinal), _ => Become(Angry));
            Receive<string>(s => s.Equals("bar", StringComparison.Ordinal), _ => Become(Happy));
        }

        private void Angry()
        {
            Receive<string>(s => s.Equals("foo", StringComparison.Ordinal), _ => Sender.Tell("I am already angry?"));
            Receive<string>(s => s.Equals("bar", StringComparison.Ordinal), _ => Become(Happy));
        }

        private void Happy()
        {
            Receive<string>(s => s.Equals("foo", StringComparison.Ordinal), _ => Sender.Tell("I am already happy :-)"));
            Receive<string>(s => s.Equals("bar", StringComparison.Ordinal), _ => Become(Angry));
        }
    }

    [Fact]
    public async Task ReceiveActor_Become_ReplacesTheBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new HotSwapActor()));
        actor.Tell("foo");
        actor.Tell("foo");
        await ExpectMsgAsync("I am already angry?");
        actor.Tell("bar");
        actor.Tell("foo");
        await ExpectMsgAsync("I am already happy :-)");
    }

    private sealed record Swap;

    private sealed class Swapper : ReceiveActor
    {
        public Swapper(IActorRef probe)
        {
            Receive<Swap>(_ =>
            {
                probe.Tell("Hi");
                BecomeStacked(() => Receive<Swap>(_ =>
                {
                    probe.Tell("Ho");
                    UnbecomeStacked();
                }));
            });
        }
    }

    [Fact]
    public async Task ReceiveActor_BecomeStacked_UnbecomeStacked_Alternate()
    {
        var swapper = Sys.ActorOf(Props.Create(() => new Swapper(TestActor)));
        for (var i = 0; i < 4; i++)
        {
            swapper.Tell(new Swap());
        }

        Assert.Equal(new object[] { "Hi", "Ho", "Hi", "Ho" }, await ReceiveNAsync(4));
    }

    private sealed class UntypedHotSwap : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is "angry")
            {
                // Akka.NET's untyped-actor-api: Context.Become(UntypedReceive) with a void method.
                Context.Become(Angry);
            }
        }

        private void Angry(object message)
        {
            switch (message)
            {
                case "foo":
                    Sender.Tell("I am already angry?");
                    break;
                case "calm":
                    Context.UnbecomeStacked();
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    [Fact]
    public async Task UntypedActor_ContextBecome_WithAVoidHandler_SwitchesBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new UntypedHotSwap()));
        actor.Tell("angry");
        actor.Tell("foo");
        await ExpectMsgAsync("I am already angry?");
    }

    private sealed class ActorWithProtocol : ReceiveActor, IWithUnboundedStash
    {
        public ActorWithProtocol(IActorRef probe)
        {
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                BecomeStacked(() =>
                {
                    Receive<string>(s => s.StartsWith("write", StringComparison.Ordinal), w => probe.Tell(w));
                    Receive<string>(s => s == "close", _ =>
                    {
                        probe.Tell("closed");
                        Stash.UnstashAll();
                        UnbecomeStacked();
                    });
                    ReceiveAny(_ => Stash.Stash());
                });
            });
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public async Task Stash_MessagesBeforeOpen_AreReplayedInOrderAfterUnstashAll()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ActorWithProtocol(TestActor)));
        actor.Tell("write1");
        actor.Tell("write2");
        actor.Tell("open");
        await ExpectMsgAsync("write1");
        await ExpectMsgAsync("write2");
        actor.Tell("close");
        await ExpectMsgAsync("closed");
    }

    private sealed class Forgetful : ReceiveActor, IWithStash
    {
        public Forgetful(IActorRef probe)
        {
            Receive<string>(s => s == "forget", _ =>
            {
                probe.Tell(string.Join(",", Stash.ClearStash().Select(e => e.Message)));
                Stash.UnstashAll();
                Become(() => ReceiveAny(m => probe.Tell($"handled {m}")));
            });
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public async Task ClearStash_ReturnsTheStashedMessagesOldestFirstAndNothingIsReplayedAfterIt()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Forgetful(TestActor)));
        actor.Tell("a");
        actor.Tell(2);
        actor.Tell("forget");

        await ExpectMsgAsync("a,2");
        actor.Tell("later");
        await ExpectMsgAsync("handled later");
    }

    // ---------------------------------------------------------------- supervision (fault-tolerance.md)

    private sealed class Child : ReceiveActor
    {
        private int _state;

        public Child()
        {
            Receive<Exception>(e => throw e);
            Receive<int>(i => _state = i);
            Receive<string>(s => s == "get", _ => Sender.Tell(_state));
        }
    }

    private sealed class Supervisor : ReceiveActor
    {
        public Supervisor() => Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
            maxNrOfRetries: 10,
            withinTimeRange: TimeSpan.FromMinutes(1),
            localOnlyDecider: ex => ex switch
            {
                ArithmeticException => Directive.Resume,
                NullReferenceException => Directive.Restart,
                ArgumentException => Directive.Stop,
                _ => Directive.Escalate,
            });
    }

    private async Task<IActorRef> NewSupervisedChild()
    {
        var supervisor = Sys.ActorOf<Supervisor>("supervisor");
        supervisor.Tell(Props.Create<Child>());
        return await ExpectMsgAsync<IActorRef>();
    }

    [Fact]
    public async Task OneForOne_Resume_KeepsState()
    {
        var child = await NewSupervisedChild();
        child.Tell(42);
        child.Tell("get");
        await ExpectMsgAsync(42);
        await EventFilter.Warning().ExpectOneAsync(() => child.Tell(new ArithmeticException()));
        child.Tell("get");
        await ExpectMsgAsync(42);
    }

    [Fact]
    public async Task OneForOne_Restart_ResetsState()
    {
        var child = await NewSupervisedChild();
        child.Tell(42);
        await EventFilter.Exception<NullReferenceException>().ExpectOneAsync(() => child.Tell(new NullReferenceException()));
        child.Tell("get");
        await ExpectMsgAsync(0);
    }

    [Fact]
    public async Task OneForOne_Stop_TerminatesTheChild()
    {
        var child = await NewSupervisedChild();
        Watch(child);
        child.Tell(new ArgumentException());
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task OneForOne_Escalate_RestartsTheSupervisorWhichStopsItsChildren()
    {
        var child = await NewSupervisedChild();
        Watch(child);
        child.Tell(new Exception("CRASH"));
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal(child, terminated.ActorRef);
    }

    // ---------------------------------------------------------------- lifecycle

    private sealed class LifecycleReporter : ReceiveActor
    {
        private readonly IActorRef _probe;

        public LifecycleReporter(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("boom"));
        }

        protected override void PreStart() => _probe.Tell("PreStart");

        protected override void PostStop() => _probe.Tell("PostStop");

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"PreRestart:{message}");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _probe.Tell($"PostRestart:{reason.Message}");
            base.PostRestart(reason);
        }
    }

    [Fact]
    public async Task Restart_HookOrder_IsPreRestartPostStopPostRestartPreStart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleReporter(TestActor)));
        await ExpectMsgAsync("PreStart");
        actor.Tell("boom");
        await ExpectMsgAsync("PreRestart:boom");
        await ExpectMsgAsync("PostStop");
        await ExpectMsgAsync("PostRestart:boom");
        await ExpectMsgAsync("PreStart");
    }

    [Fact]
    public async Task PoisonPill_IsHandledAfterEarlierMessages()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Watch(echo);
        echo.Tell("one");
        echo.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        echo.Tell("lost");
        await ExpectMsgAsync("one");
        await ExpectTerminatedAsync(echo);
        await ExpectNoMsgAsync(Short);
    }

    [Fact]
    public async Task Kill_StopsTheActorThroughActorKilledException()
    {
        var victim = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Watch(victim);
        await EventFilter.Exception<ActorKilledException>().ExpectOneAsync(() => victim.Tell(Kill.Instance, ActorRefs.NoSender));
        await ExpectTerminatedAsync(victim);
    }

    [Fact]
    public async Task GracefulStop_ReturnsTrueOncePostStopHasRun()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleReporter(TestActor)));
        await ExpectMsgAsync("PreStart");
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
        await ExpectMsgAsync("PostStop");
    }

    // ---------------------------------------------------------------- DeathWatch

    private sealed class WatchActor : ReceiveActor
    {
        private IActorRef? _lastSender = ActorRefs.NoSender;

        public WatchActor()
        {
            var child = Context.ActorOf(Props.Empty, "child");
            Context.Watch(child);
            Receive<string>(s => s == "kill", _ =>
            {
                Context.Stop(child);
                _lastSender = Sender;
            });
            Receive<Terminated>(t => t.ActorRef.Equals(child), _ => _lastSender?.Tell("finished"));
        }
    }

    [Fact]
    public async Task DeathWatch_TerminatedOfAChild_ArrivesInTheWatcher()
    {
        var watcher = Sys.ActorOf<WatchActor>();
        watcher.Tell("kill");
        await ExpectMsgAsync("finished");
    }

    [Fact]
    public async Task Watch_AnAlreadyDeadActor_StillDeliversTerminated()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(actor);

        var probe = CreateTestProbe();
        probe.Watch(actor);
        var terminated = await probe.ExpectMsgAsync<Terminated>();
        Assert.Equal(actor, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
    }

    // ---------------------------------------------------------------- Ask / PipeTo

    [Fact]
    public async Task Ask_ReturnsTheTypedReply()
    {
        var greeter = Sys.ActorOf<Greeter>();
        var reply = await greeter.Ask<string>("Dave", TimeSpan.FromSeconds(3));
        Assert.Equal("Hello Dave", reply);
    }

    [Fact]
    public async Task Ask_WithoutReply_FailsWithAskTimeoutException()
    {
        var silent = Sys.ActorOf(Props.Empty);
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>("anyone?", TimeSpan.FromMilliseconds(100)));
    }

    private sealed class FailingReplier : ReceiveActor
    {
        public FailingReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("nope"))));
    }

    [Fact]
    public async Task Ask_StatusFailureReply_FaultsTheTaskWithTheCause()
    {
        var actor = Sys.ActorOf<FailingReplier>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => actor.Ask<string>("q", TimeSpan.FromSeconds(3)));
        Assert.Equal("nope", error.Message);
    }

    private sealed record Fetch(bool Fail);

    private sealed class PipeToActor : ReceiveActor
    {
        public PipeToActor()
        {
            Receive<Fetch>(f =>
            {
                var work = f.Fail
                    ? Task.FromException<int>(new InvalidOperationException("fetch failed"))
                    : Task.Run(() => 7);
                work.PipeTo(Self, Sender, success: n => $"got {n}");
            });
            Receive<string>(s => Sender.Tell(s));
            Receive<Status.Failure>(f => Sender.Tell(f));
        }
    }

    [Fact]
    public async Task PipeTo_SuccessIsMapped_FailureBecomesStatusFailure_SenderKept()
    {
        var actor = Sys.ActorOf<PipeToActor>();
        actor.Tell(new Fetch(false));
        await ExpectMsgAsync("got 7");
        actor.Tell(new Fetch(true));
        var failure = await ExpectMsgAsync<Status.Failure>();
        Assert.IsType<InvalidOperationException>(failure.Cause);
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor() => ReceiveAsync<string>(async s =>
        {
            await Task.Delay(10);
            Sender.Tell(s + " after await");
        });
    }

    [Fact]
    public async Task ReceiveAsync_SenderIsStillValidAfterAwait()
    {
        var actor = Sys.ActorOf<AsyncActor>();
        actor.Tell("a");
        actor.Tell("b");
        await ExpectMsgAsync("a after await");
        await ExpectMsgAsync("b after await");
    }

    // ---------------------------------------------------------------- scheduler / timers / receive timeout

    [Fact]
    public async Task Scheduler_ScheduleTellOnce_DeliversOnce()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "tick", ActorRefs.NoSender);
        await ExpectMsgAsync("tick", TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(Short);
    }

    [Fact]
    public async Task Scheduler_ScheduleTellRepeatedlyCancelable_StopsAfterCancel()
    {
        var cancelable = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TestActor, "tick", ActorRefs.NoSender);
        await ExpectMsgAsync("tick", TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("tick", TimeSpan.FromSeconds(3));
        cancelable.Cancel();
        // A tick already being sent when Cancel returns may still land; drain those (bounded).
        for (var i = 0; i < 10 && await ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is not null; i++)
        {
        }

        await ExpectNoMsgAsync(Short);
    }

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        private int _ticks;

        public TimerActor(IActorRef probe)
        {
            Receive<string>(s => s == "start", _ => Timers.StartPeriodicTimer("tick-key", "tick", TimeSpan.FromMilliseconds(20)));
            Receive<string>(s => s == "tick", _ =>
            {
                if (++_ticks == 3)
                {
                    Timers.Cancel("tick-key");
                    probe.Tell($"cancelled, active={Timers.IsTimerActive("tick-key")}");
                }
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    [Fact]
    public async Task Timers_PeriodicTimer_CanBeCancelledByKey()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("start");
        await ExpectMsgAsync("cancelled, active=False", TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(Short);
    }

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromMilliseconds(100));
            Receive<ReceiveTimeout>(_ =>
            {
                probe.Tell("idle");
                Context.SetReceiveTimeout(null);
            });
        }
    }

    [Fact]
    public async Task ReceiveTimeout_FiresAfterIdle_AndNullTurnsItOff()
    {
        Sys.ActorOf(Props.Create(() => new IdleActor(TestActor)));
        await ExpectMsgAsync("idle", TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    // ---------------------------------------------------------------- logging / EventFilter

    private sealed class LoggingActor : ReceiveActor
    {
        private readonly ILoggingAdapter _log = Context.GetLogger();

        public LoggingActor() => Receive<string>(s => _log.Info("Received String message: {0}", s));
    }

    [Fact]
    public async Task GetLogger_InfoEvents_AreSeenByEventFilter()
    {
        var actor = Sys.ActorOf<LoggingActor>();
        await EventFilter.Info(contains: "Received String message").ExpectOneAsync(() => actor.Tell("hello"));
    }

    // ---------------------------------------------------------------- routers

    [Fact]
    public async Task RoundRobinPool_BroadcastReachesEveryRoutee_GetRouteesCountsThem()
    {
        var router = Sys.ActorOf(Props.Create<Greeter>().WithRouter(new RoundRobinPool(5)), "some-pool");
        router.Tell(new Broadcast("all"));
        var replies = await ReceiveNAsync(5);
        Assert.All(replies, r => Assert.Equal("Hello all", r));
        var routees = await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(5, routees.Members.Count);
    }

    [Fact]
    public async Task RoundRobinPool_PoisonPill_StopsTheRouter()
    {
        var router = Sys.ActorOf(Props.Create<Greeter>().WithRouter(new RoundRobinPool(2)));
        Watch(router);
        router.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(router);
    }

    // ---------------------------------------------------------------- selection / identify

    [Fact]
    public async Task ActorSelection_TellAndResolveOneWithTimeout()
    {
        var greeter = Sys.ActorOf<Greeter>("selected");
        Sys.ActorSelection("/user/selected").Tell("sel");
        await ExpectMsgAsync("Hello sel");
        Assert.Equal(greeter, await Sys.ActorSelection("/user/selected").ResolveOne(TimeSpan.FromSeconds(3)));
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/nobody-here").ResolveOne(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Identify_RepliesWithActorIdentity()
    {
        var greeter = Sys.ActorOf<Greeter>("identified");
        Sys.ActorSelection("/user/identified").Tell(new Identify(1));
        var identity = await ExpectMsgAsync<ActorIdentity>();
        Assert.Equal(1, identity.MessageId);
        Assert.Equal(greeter, identity.Subject);
    }

    // ---------------------------------------------------------------- CoordinatedShutdown

    [Fact]
    public async Task CoordinatedShutdown_TaskRunsInItsPhase_AndTheSystemTerminates()
    {
        var probe = CreateTestProbe();
        CoordinatedShutdown.Get(Sys).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "someTaskName", () =>
        {
            probe.Ref.Tell("ran");
            return Task.CompletedTask;
        });
        await CoordinatedShutdown.Get(Sys).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await probe.ExpectMsgAsync("ran");
        Assert.True(Sys.WhenTerminated.IsCompleted);
    }
}
