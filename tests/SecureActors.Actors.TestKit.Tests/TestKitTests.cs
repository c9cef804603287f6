using SecureActors.Actors.Actor;
using SecureActors.Actors.TestKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SecureActors.Actors.TestKit.Tests;

public sealed class TestKitTests(ITestOutputHelper output) : TestKit(output)
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    private sealed class Thrower : ReceiveActor
    {
        public Thrower() => ReceiveAny(_ => throw new InvalidOperationException("thrown"));
    }

    private sealed class Tally : ReceiveActor
    {
        public Tally() => ReceiveAny(_ => Count++);

        public int Count { get; private set; }
    }

    [Fact]
    public async Task ExpectMsgAsync_WrongType_Fails()
    {
        TestActor.Tell(42);
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>());
    }

    [Fact]
    public async Task ExpectMsgAsync_WrongValue_Fails()
    {
        TestActor.Tell("a");
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync("b"));
    }

    [Fact]
    public async Task ExpectMsgAsync_NothingArrives_FailsAfterTimeout()
    {
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task ExpectMsgAsync_PredicateAndInspector_ApplyToMessage()
    {
        TestActor.Tell("hello");
        TestActor.Tell("world");
        Assert.Equal("hello", await ExpectMsgAsync<string>(s => s.StartsWith('h')));
        await ExpectMsgAsync<string>(s => Assert.Equal("world", s));
        TestActor.Tell("x");
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>(s => s == "y"));
    }

    [Fact]
    public async Task ExpectNoMsgAsync_MessageArrives_Fails()
    {
        TestActor.Tell("unexpected");
        await Assert.ThrowsAsync<XunitException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task ExpectMsgAllOfAsync_AnyOrder_Passes_ExtraMessage_Fails()
    {
        TestActor.Tell(3);
        TestActor.Tell(1);
        TestActor.Tell(2);
        Assert.Equal(3, (await ExpectMsgAllOfAsync(1, 2, 3)).Count);
        TestActor.Tell(9);
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAllOfAsync(1));
    }

    [Fact]
    public async Task ImplicitSender_TellFromTest_RepliesToTestActor()
    {
        Sys.ActorOf(Props.Create(() => new Echo())).Tell("ping");
        await ExpectMsgAsync("ping");
    }

    [Fact]
    public async Task TestProbe_HasItsOwnQueue()
    {
        var probe = CreateTestProbe();
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        echo.Tell("to-probe", probe.Ref);
        await probe.ExpectMsgAsync("to-probe");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task TestProbe_ReplyAndForward_UseLastSender()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("question", TestActor);
        await probe.ExpectMsgAsync("question");
        probe.Reply("answer");
        await ExpectMsgAsync("answer");
        Assert.Same(probe.Ref, LastSender);
    }

    [Fact]
    public async Task WithinAsync_TooSlow_Fails()
    {
        await Assert.ThrowsAsync<XunitException>(() => WithinAsync(TimeSpan.FromMilliseconds(50), () => Task.Delay(200)));
    }

    [Fact]
    public async Task WithinAsync_TooFast_FailsMinimum()
    {
        await Assert.ThrowsAsync<XunitException>(() => WithinAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), () => Task.CompletedTask));
    }

    [Fact]
    public async Task WithinAsync_ExpectDefault_UsesRemainingTime()
    {
        await WithinAsync(TimeSpan.FromMilliseconds(300), async () =>
        {
            Assert.True(Remaining <= TimeSpan.FromMilliseconds(300));
            Assert.True(RemainingOrDefault <= TimeSpan.FromMilliseconds(300));
            TestActor.Tell("in time");
            await ExpectMsgAsync("in time");
        });
    }

    [Fact]
    public async Task WithinAsync_EndingWithExpectNoMsg_IsNotFailedForUsingAllItsTime()
    {
        // ExpectNoMsg waits out the whole remaining time, so the block always ends a little late.
        for (var i = 0; i < 5; i++)
        {
            await WithinAsync(TimeSpan.FromMilliseconds(60), () => ExpectNoMsgAsync());
        }
    }

    [Fact]
    public async Task WithinAsync_NestedMinimumBeyondOuterTimeLeft_Fails()
    {
        await WithinAsync(TimeSpan.FromMilliseconds(300), async () =>
        {
            var error = await Assert.ThrowsAsync<XunitException>(() => WithinAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => Task.CompletedTask));
            Assert.Contains("not possible", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task WithinAsync_NestedBlock_IsLimitedByTheOuterTimeLeft()
    {
        var innerFailed = false;
        await Assert.ThrowsAsync<XunitException>(() => WithinAsync(TimeSpan.FromMilliseconds(100), async () =>
        {
            try
            {
                await WithinAsync(TimeSpan.FromSeconds(2), () => Task.Delay(300));
            }
            catch (XunitException)
            {
                innerFailed = true;
            }
        }));
        Assert.True(innerFailed);
    }

    [Fact]
    public async Task WithinAsync_Function_ReturnsTheBlockResult()
    {
        TestActor.Tell("value");
        Assert.Equal("value", await WithinAsync(TimeSpan.FromSeconds(1), () => ExpectMsgAsync<string>()));
    }

    [Fact]
    public async Task IgnoreMessages_MatchingMessagesAreDroppedUntilIgnoreNoMessages()
    {
        IgnoreMessages<int>(n => n > 10);
        TestActor.Tell(42);
        TestActor.Tell(7);
        TestActor.Tell("text");
        await ExpectMsgAsync(7);
        await ExpectMsgAsync("text");
        Assert.False(HasMessages);
        IgnoreNoMessages();
        TestActor.Tell(42);
        await ExpectMsgAsync(42);
    }

    [Fact]
    public async Task IgnoreMessages_Predicate_ReplacesTheEarlierFilter()
    {
        IgnoreMessages<string>();
        IgnoreMessages(m => m is 1);
        TestActor.Tell(1);
        TestActor.Tell("kept");
        await ExpectMsgAsync("kept");
        await ExpectNoMsgAsync();
    }

    [Fact]
    public async Task AwaitAssertAsync_EventuallyTrue_Passes_NeverTrue_Fails()
    {
        var calls = 0;
        await AwaitAssertAsync(() => Assert.True(++calls >= 3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, calls);
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => AwaitAssertAsync(() => Assert.True(false), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public async Task AwaitConditionAsync_NeverTrue_Fails()
    {
        var flag = false;
        _ = Task.Run(() => flag = true);
        await AwaitConditionAsync(() => flag);
        await Assert.ThrowsAsync<XunitException>(() => AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task FishForMessageAsync_SkipsUntilMatch()
    {
        TestActor.Tell(1);
        TestActor.Tell("skip");
        TestActor.Tell(2);
        Assert.Equal(2, await FishForMessageAsync<int>(i => i == 2));
    }

    [Fact]
    public async Task ReceiveNAsync_TooFew_Fails()
    {
        TestActor.Tell(1);
        await Assert.ThrowsAsync<XunitException>(() => ReceiveNAsync(2, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task ExpectTerminatedAsync_AfterWatch_Passes()
    {
        var actor = Watch(Sys.ActorOf(Props.Create(() => new Echo())));
        Sys.Stop(actor);
        Assert.Same(actor, (await ExpectTerminatedAsync(actor)).ActorRef);
    }

    [Fact]
    public async Task EventFilter_ExpectOne_CountsAndSwallowsException()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Thrower()));
        await EventFilter.Exception<InvalidOperationException>(contains: "thrown").ExpectOneAsync(() => actor.Tell("go"));
    }

    [Fact]
    public async Task EventFilter_Exception_MatchesErrorsOnlyNotWarningsWithTheSameException()
    {
        await EventFilter.Exception<InvalidOperationException>().ExpectOneAsync(() =>
        {
            using var warnings = EventFilter.Warning().Mute();
            Sys.Log.Warning(new InvalidOperationException("tolerated"), "resumed after {Reason}", "tolerated");
            Sys.Log.Error(new InvalidOperationException("fatal"), "failed with {Reason}", "fatal");
        });
    }

    [Fact]
    public async Task EventFilter_WrongCount_Fails()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Thrower()));
        await Assert.ThrowsAsync<XunitException>(() =>
            EventFilter.Exception<InvalidOperationException>().ExpectAsync(2, () => actor.Tell("once"), TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task EventFilter_DeadLetter_MatchesByMessageType()
    {
        await EventFilter.DeadLetter<int>().ExpectAsync(2, () =>
        {
            Sys.DeadLetters.Tell(1);
            Sys.DeadLetters.Tell(2);
        });
    }

    [Fact]
    public async Task TestActorRef_TellHandledSynchronously()
    {
        var actor = ActorOfAsTestActorRef(() => new Tally());
        actor.Tell("a");
        actor.Tell("b");
        Assert.Equal(2, actor.UnderlyingActor.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public void Dilated_DefaultTimeFactor_IsIdentity()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(3), RemainingOrDefault);
    }
}

public sealed class TimeFactorTests(ITestOutputHelper output) : TestKit("actors.test.timefactor = 2.5", output)
{
    [Fact]
    public void Dilated_TimeFactorFromConfig_ScalesEveryDefault()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(7.5), RemainingOrDefault);
        Assert.Equal(2.5, TestKitSettings.TimeFactor);
    }
}

public sealed class TestSchedulerTests
{
    [Fact]
    public void Advance_RunsDueTasksInOrder_AndCancelledOnesNever()
    {
        var scheduler = new TestScheduler();
        var log = new List<string>();
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(2), () => log.Add("two"));
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => log.Add("one"));
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1.5), () => log.Add("cancelled")).Cancel();
        scheduler.ScheduleRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), () => log.Add("tick"));
        scheduler.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["one", "tick", "two", "tick"], log);
        Assert.Equal(TimeSpan.FromSeconds(2), scheduler.MonotonicClock);
    }
}
