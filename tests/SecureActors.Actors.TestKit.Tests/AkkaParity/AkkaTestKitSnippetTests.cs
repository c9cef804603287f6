using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SecureActors.Actors.TestKit.Tests.AkkaParity;

/// <summary>
/// The examples of getakka.net's "Testing Actor Systems" article (TestKitSampleTest, ProbeSampleTest,
/// WithinSampleTest) re-typed against our TestKit, with the *Async forms of Akka.TestKit 1.5: each
/// test asserts what that article documents.
/// </summary>
public sealed class AkkaTestKitSnippetTests(ITestOutputHelper output) : TestKit(output)
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private sealed class Counter : ReceiveActor
    {
        public Counter() => Receive<string>(s => s == "inc", _ => Count++);

        public int Count { get; private set; }
    }

    [Fact]
    public async Task ExpectMsg_ByValue_ByType_ByPredicate_AndExpectNoMsg()
    {
        var echo = ActorOf<Echo>();
        echo.Tell("hello world");
        await ExpectMsgAsync("hello world");
        echo.Tell(42);
        Assert.Equal(42, await ExpectMsgAsync<int>());
        echo.Tell("prefix-x");
        await ExpectMsgAsync<string>(s => s.StartsWith("prefix", StringComparison.Ordinal));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task ExpectMsg_WrongValue_FailsTheTest()
    {
        var echo = ActorOf<Echo>();
        echo.Tell("a");
        await Assert.ThrowsAnyAsync<XunitException>(() => ExpectMsgAsync("b", TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Within_BoundsTheBlock_AndExpectNoMsgUsesTheRemainingTime()
    {
        var echo = ActorOf<Echo>();
        await WithinAsync(TimeSpan.FromSeconds(1), async () =>
        {
            echo.Tell("some work");
            await ExpectMsgAsync("some work");
            await ExpectNoMsgAsync();
        });
    }

    [Fact]
    public async Task Within_MinNotReached_Fails()
    {
        await Assert.ThrowsAnyAsync<XunitException>(() => WithinAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), () => Task.CompletedTask));
    }

    [Fact]
    public async Task ReceiveN_And_ExpectMsgAllOf_IgnoreOrderOfTheSecond()
    {
        var echo = ActorOf<Echo>();
        echo.Tell(1);
        echo.Tell(2);
        Assert.Equal(new object[] { 1, 2 }, await ReceiveNAsync(2));
        echo.Tell(3);
        echo.Tell(4);
        await ExpectMsgAllOfAsync(4, 3);
    }

    [Fact]
    public async Task FishForMessage_SkipsUntilThePredicateMatches()
    {
        var echo = ActorOf<Echo>();
        echo.Tell("noise");
        echo.Tell("more noise");
        echo.Tell("the one");
        var found = await FishForMessageAsync(m => m is "the one");
        Assert.Equal("the one", found);
    }

    [Fact]
    public async Task AwaitAssert_And_AwaitCondition_PollUntilTrue()
    {
        var counter = ActorOfAsTestActorRef<Counter>();
        var plain = ActorOf<Counter>();
        counter.Tell("inc");
        Assert.Equal(1, counter.UnderlyingActor.Count);
        plain.Tell("inc");
        var seen = 0;
        Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(50), () => Interlocked.Exchange(ref seen, 1));
        await AwaitAssertAsync(() => Assert.Equal(1, Volatile.Read(ref seen)), TimeSpan.FromSeconds(3));
        await AwaitConditionAsync(() => Volatile.Read(ref seen) == 1, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AwaitCondition_NeverTrue_Fails()
    {
        await Assert.ThrowsAnyAsync<XunitException>(() => AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(150)));
    }

    [Fact]
    public async Task TestProbe_ExpectMsgFrom_Reply_And_Forward()
    {
        var probe = CreateTestProbe("forward-target");
        var echo = ActorOf<Echo>();

        // ProbeSampleTest: the probe sends, then replies to / forwards the last message.
        probe.Send(echo, "ping");
        await probe.ExpectMsgFromAsync<string>(echo);
        Send(probe.Ref, "hello");
        await probe.ExpectMsgAsync("hello");
        probe.Reply("world");
        await ExpectMsgAsync("world");
        Assert.Equal(probe.Ref, LastSender);

        var other = CreateTestProbe();
        Send(probe.Ref, "fwd");
        await probe.ExpectMsgAsync("fwd");
        probe.Forward(other.Ref);
        await other.ExpectMsgAsync("fwd");
        Assert.Equal(TestActor, other.LastSender);
    }

    [Fact]
    public async Task TestProbe_Watch_ExpectTerminated()
    {
        var probe = CreateTestProbe();
        var target = ActorOf<Echo>();
        probe.Watch(target);
        target.Tell(PoisonPill.Instance);
        var msg = await probe.ExpectMsgAsync<Terminated>();
        Assert.Equal(target, msg.ActorRef);
    }

    [Fact]
    public async Task IgnoreMessages_DropsMatchingMessages()
    {
        var echo = ActorOf<Echo>();
        IgnoreMessages<string>(s => s.StartsWith("ignore", StringComparison.Ordinal));
        echo.Tell("ignore me");
        echo.Tell("keep me");
        await ExpectMsgAsync("keep me");
        IgnoreNoMessages();
        echo.Tell("ignore me too");
        await ExpectMsgAsync("ignore me too");
    }

    private sealed class Thrower : ReceiveActor
    {
        public Thrower() => ReceiveAny(_ => throw new InvalidOperationException("thrown on purpose"));
    }

    [Fact]
    public async Task EventFilter_Exception_ExpectOne_InterceptsTheFailureLog()
    {
        var actor = ActorOf<Thrower>();
        await EventFilter.Exception<InvalidOperationException>(contains: "on purpose").ExpectOneAsync(() => actor.Tell("x"));
    }

    [Fact]
    public async Task EventFilter_DeadLetter_AfterTheActorStopped()
    {
        var actor = ActorOf<Echo>();
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(actor);
        await EventFilter.DeadLetter<string>().ExpectOneAsync(() => actor.Tell("too late"));
    }

    [Fact]
    public async Task ReceiveOne_ReturnsNullWhenNothingCame()
    {
        Assert.Null(await ReceiveOneAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task UnhandledMessage_CanBeSubscribedToFromTheTest()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Empty);
        actor.Tell("nobody handles this");
        await ExpectMsgAsync<UnhandledMessage>(u => Assert.Equal("nobody handles this", u.Message));
    }

    [Fact]
    public async Task ExpectMsgAnyOf_AcceptsAnyOfTheListAndFailsOnAnythingElse()
    {
        TestActor.Tell("b");
        Assert.Equal("b", await ExpectMsgAnyOfAsync("a", "b", "c"));

        TestActor.Tell("z");
        await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAnyOfAsync("a", "b", "c"));
    }

    [Fact]
    public async Task ReceiveWhile_StopsAtTheFirstMessageTheFilterRefuses_WhichStaysQueued()
    {
        foreach (var message in new[] { "a", "b", "stop", "c" })
        {
            TestActor.Tell(message);
        }

        var accepted = await ReceiveWhileAsync(m => m is "stop" ? null : m as string, max: TimeSpan.FromSeconds(3));

        Assert.Equal(["a", "b"], accepted);
        await ExpectMsgAsync("stop");
        await ExpectMsgAsync("c");
    }

    [Fact]
    public async Task ReceiveWhile_ReachingItsCountOrItsIdleTime_IsNotAFailure()
    {
        foreach (var number in new object[] { 1, 2, 3 })
        {
            TestActor.Tell(number);
        }

        Assert.Equal([1, 2], (await ReceiveWhileAsync(m => m, msgs: 2)).Cast<int>());
        Assert.Equal([3], (await ReceiveWhileAsync(m => m, max: TimeSpan.FromSeconds(3), idle: TimeSpan.FromMilliseconds(200))).Cast<int>());
    }

    [Fact]
    public async Task ReceiveWhile_Typed_SkipsOtherTypesUnlessToldToStopAtThem()
    {
        foreach (var message in new object[] { "x", 5, "y", "end" })
        {
            TestActor.Tell(message);
        }

        Assert.Equal(["x", "y"], await ReceiveWhileAsync<string>(s => s != "end", max: TimeSpan.FromSeconds(3)));
        await ExpectMsgAsync("end");

        TestActor.Tell("p");
        TestActor.Tell(7);
        Assert.Equal(["p"], await ReceiveWhileAsync<string>(_ => true, max: TimeSpan.FromSeconds(3), shouldIgnoreOtherMessageTypes: false));
        Assert.Equal(7, await ExpectMsgAsync<int>());
    }
}
