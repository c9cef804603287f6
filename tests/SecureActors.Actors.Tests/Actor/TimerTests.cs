using SecureActors.Actors.Actor;
using SecureActors.Actors.Scheduling;
using SecureActors.Actors.TestKit;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class TimerTests : TestKit.TestKit
{
    private readonly TestScheduler _scheduler;

    public TimerTests(ITestOutputHelper output)
        : this(new TestScheduler(), output)
    {
    }

    private TimerTests(TestScheduler scheduler, ITestOutputHelper output)
        : base(null, output, scheduler) => _scheduler = scheduler;

    [Fact]
    public async Task SingleTimer_FiresOnceAfterDelay()
    {
        var actor = ActorOfAsTestActorRef(() => new TimerActor(TestActor));
        actor.Tell(new Start("k", "tick", TimeSpan.FromSeconds(1), Periodic: false), TestActor);
        _scheduler.Advance(TimeSpan.FromMilliseconds(999));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
        _scheduler.Advance(TimeSpan.FromMilliseconds(1));
        await ExpectMsgAsync("tick");
        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
        Assert.False(actor.UnderlyingActor.Timers.IsTimerActive("k"));
    }

    [Fact]
    public async Task PeriodicTimer_FiresEachIntervalUntilCancelled()
    {
        var actor = ActorOfAsTestActorRef(() => new TimerActor(TestActor));
        actor.Tell(new Start("p", "beat", TimeSpan.FromSeconds(1), Periodic: true), TestActor);
        _scheduler.Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("beat");
        await ExpectMsgAsync("beat");
        await ExpectMsgAsync("beat");
        actor.Tell(new CancelTimer("p"), TestActor);
        _scheduler.Advance(TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task RestartedTimer_StaleTickAlreadyQueued_IsDiscarded()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new Start("k", "old", TimeSpan.FromSeconds(1), Periodic: false), TestActor);
        actor.Tell("block-and-replace", TestActor);
        await ExpectMsgAsync("blocked");
        // The actor is busy: the old tick is queued behind it, and the handler then replaces the timer.
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("replaced");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("new");
    }

    [Fact]
    public async Task Timers_OnRestart_AreCancelled()
    {
        var actor = ActorOfAsTestActorRef(() => new TimerActor(TestActor));
        actor.Tell(new Start("k", "tick", TimeSpan.FromSeconds(1), Periodic: true), TestActor);
        await EventFilter.Exception<InvalidOperationException>().ExpectOneAsync(() => actor.Tell("fail", TestActor));
        _scheduler.Advance(TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task ScheduleTellRepeatedly_Cancel_StopsDelivery()
    {
        var cancelable = _scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "r", null);
        _scheduler.Advance(TimeSpan.FromSeconds(2));
        await ExpectMsgAsync("r");
        await ExpectMsgAsync("r");
        cancelable.Cancel();
        _scheduler.Advance(TimeSpan.FromSeconds(2));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
        Assert.True(cancelable.IsCancellationRequested);
    }

    [Fact]
    public async Task ScheduleTellOnce_DeliversAfterDelay()
    {
        _scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "once", null);
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("once");
    }

    [Fact]
    public async Task Ask_Timeout_UsesTheSystemScheduler()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("q", TimeSpan.FromSeconds(10));
        await probe.ExpectMsgAsync("q");
        Assert.False(ask.IsCompleted);
        _scheduler.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }

    private sealed record Start(string Key, string Message, TimeSpan Delay, bool Periodic);

    private sealed record CancelTimer(string Key);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef reporter)
        {
            Receive<Start>(s =>
            {
                if (s.Periodic)
                {
                    Timers.StartPeriodicTimer(s.Key, s.Message, s.Delay);
                }
                else
                {
                    Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                }
            });
            Receive<CancelTimer>(c => Timers.Cancel(c.Key));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("fail"));
            Receive<string>(s => s == "block-and-replace", _ =>
            {
                reporter.Tell("blocked");
                var mailbox = ((LocalActorRef)Self).Cell.Mailbox;
                // Hold the actor until the old tick is queued, then replace the timer.
                SpinWait.SpinUntil(() => mailbox.NumberOfMessages >= 1, TimeSpan.FromSeconds(5));
                Timers.StartSingleTimer("k", "new", TimeSpan.FromSeconds(1));
                reporter.Tell("replaced");
            });
            Receive<string>(s => reporter.Tell(s));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }
}
