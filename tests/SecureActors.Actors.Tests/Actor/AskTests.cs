using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class AskTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task Ask_Reply_CompletesWithTypedResult()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        Assert.Equal("hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_NoReply_FaultsWithAskTimeoutException()
    {
        var silent = CreateTestProbe();
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ref.Ask<string>("hello", TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Ask_ZeroTimeout_MeansNoTimeout()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("q", TimeSpan.Zero);
        await probe.ExpectMsgAsync("q");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.False(ask.IsCompleted);
        probe.Reply("late but welcome");
        Assert.Equal("late but welcome", await ask);
    }

    [Fact]
    public async Task Ask_StatusFailureReply_FaultsWithTheCause()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("q", TimeSpan.FromSeconds(3));
        await probe.ExpectMsgAsync("q");
        probe.Reply(new Status.Failure(new InvalidOperationException("nope")));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ask);
        Assert.Equal("nope", ex.Message);
    }

    [Fact]
    public async Task Ask_WrongReplyType_FaultsWithArgumentException()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        await Assert.ThrowsAsync<ArgumentException>(() => echo.Ask<string>(42, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_Cancelled_CompletesAsCancelled()
    {
        var silent = CreateTestProbe();
        using var cts = new CancellationTokenSource();
        var ask = silent.Ref.Ask<string>("q", null, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task Ask_LateReply_GoesToDeadLetters()
    {
        var probe = CreateTestProbe();
        await Assert.ThrowsAsync<AskTimeoutException>(() => probe.Ref.Ask<string>("q", TimeSpan.FromMilliseconds(20)));
        await probe.ExpectMsgAsync("q");
        await EventFilter.DeadLetter<string>(s => s == "late").ExpectOneAsync(() => probe.Reply("late"));
    }

    [Fact]
    public async Task PipeTo_SuccessAndFailure_ArriveAsMessages()
    {
        await Task.FromResult(7).PipeTo(TestActor);
        await ExpectMsgAsync(7);
        await Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor);
        var failure = await ExpectMsgAsync<Status.Failure>();
        Assert.IsType<InvalidOperationException>(failure.Cause);
    }

    [Fact]
    public async Task Ask_FromAsyncHandler_ContinuesAsTheActor()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        var asker = Sys.ActorOf(Props.Create(() => new Asker(echo)));
        asker.Tell("q");
        await ExpectMsgAsync("answer:q");
        Assert.Same(asker, LastSender);
    }

    private sealed class Asker : ReceiveActor
    {
        public Asker(IActorRef echo) => ReceiveAsync<string>(async q =>
        {
            var answer = await echo.Ask<string>(q, TimeSpan.FromSeconds(3));
            Sender.Tell("answer:" + answer, Self);
        });
    }
}
