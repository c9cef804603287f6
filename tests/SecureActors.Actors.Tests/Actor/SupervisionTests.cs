using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class SupervisionTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private async Task<IActorRef> ChildOfAsync(SupervisorStrategy strategy, string name = "child")
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(strategy)));
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), name));
        return await ExpectMsgAsync<IActorRef>();
    }

    private async Task<int> CountOfAsync(IActorRef counter)
    {
        counter.Tell("get");
        return await ExpectMsgAsync<int>();
    }

    [Fact]
    public async Task Resume_KeepsStateAndLogsWarning()
    {
        var child = await ChildOfAsync(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("x");
        child.Tell("x");
        await EventFilter.Warning(contains: "resumed").ExpectOneAsync(() => child.Tell("fail"));
        Assert.Equal(2, await CountOfAsync(child));
    }

    [Fact]
    public async Task Restart_ResetsStateAndLogsError()
    {
        var child = await ChildOfAsync(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell("x");
        await EventFilter.Exception<ArithmeticException>().ExpectOneAsync(() => child.Tell("fail"));
        Assert.Equal(0, await CountOfAsync(child));
    }

    [Fact]
    public async Task Stop_TerminatesChildAndLogsError()
    {
        var child = Watch(await ChildOfAsync(new OneForOneStrategy(_ => Directive.Stop)));
        await EventFilter.Exception<ArithmeticException>().ExpectOneAsync(() => child.Tell("fail"));
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Escalate_FailsTheSupervisorWhichItsParentRestarts()
    {
        var supervisor = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(new OneForOneStrategy(_ => Directive.Escalate)))));
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "child"));
        var child = Watch(await ExpectMsgAsync<IActorRef>());
        await EventFilter.Exception<ArithmeticException>().ExpectOneAsync(() => child.Tell("fail"));
        // The user guardian restarts the supervisor, whose default PreRestart stops the child.
        await ExpectTerminatedAsync(child);
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "child"));
        await ExpectMsgAsync<IActorRef>();
    }

    [Fact]
    public async Task DefaultDecider_MapsExceptionsLikeAkka()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException("x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException()));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new DeathPactException()));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException()));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ConstructorFailure_DefaultStrategy_StopsActor()
    {
        var actor = Watch(Sys.ActorOf(Props.Create(() => new FailingConstructor())));
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task MaxRetries_Exceeded_StopsChildInsteadOfEscalating()
    {
        var child = Watch(await ChildOfAsync(new OneForOneStrategy(2, null, _ => Directive.Restart)));
        child.Tell("fail");
        child.Tell("fail");
        Assert.Equal(0, await CountOfAsync(child));
        child.Tell("fail");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task AllForOne_Restart_RestartsEverySibling()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(new AllForOneStrategy(_ => Directive.Restart))));
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "a"));
        var a = await ExpectMsgAsync<IActorRef>();
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "b"));
        var b = await ExpectMsgAsync<IActorRef>();
        b.Tell("x");
        Assert.Equal(1, await CountOfAsync(b));
        a.Tell("fail");
        await AwaitAssertAsync(async () => Assert.Equal(0, await CountOfAsync(b)));
    }

    [Fact]
    public async Task AllForOne_Stop_StopsEverySibling()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(new AllForOneStrategy(_ => Directive.Stop))));
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "a"));
        var a = Watch(await ExpectMsgAsync<IActorRef>());
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "b"));
        var b = Watch(await ExpectMsgAsync<IActorRef>());
        a.Tell("fail");
        await ExpectMsgAllOfAsync(new Terminated(a, true, false), new Terminated(b, true, false));
    }

    [Theory]
    [InlineData(0, null, 1, false)]
    [InlineData(-1, null, 100, true)]
    [InlineData(3, null, 3, true)]
    [InlineData(3, null, 4, false)]
    public void ChildRestartStats_WithoutWindow_CountsOverWholeLife(int maxRetries, int? windowMs, int attempts, bool lastAllowed)
    {
        var stats = new ChildRestartStats(null!, 1);
        var window = windowMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        var allowed = true;
        for (var i = 0; i < attempts; i++)
        {
            allowed = stats.RequestRestartPermission(maxRetries, window, 0);
        }

        Assert.Equal(lastAllowed, allowed);
    }

    [Fact]
    public void ChildRestartStats_Window_ResetsAfterItExpires()
    {
        var stats = new ChildRestartStats(null!, 1);
        var window = TimeSpan.FromSeconds(1);
        Assert.True(stats.RequestRestartPermission(2, window, 0));
        Assert.True(stats.RequestRestartPermission(2, window, TimeSpan.FromMilliseconds(500).Ticks));
        Assert.False(stats.RequestRestartPermission(2, window, TimeSpan.FromMilliseconds(900).Ticks));
        Assert.True(stats.RequestRestartPermission(2, window, TimeSpan.FromSeconds(2).Ticks));
    }

    [Fact]
    public void ChildRestartStats_WindowWithoutLimit_AllowsOnePerWindow()
    {
        var stats = new ChildRestartStats(null!, 1);
        var window = TimeSpan.FromSeconds(1);
        Assert.True(stats.RequestRestartPermission(-1, window, 0));
        Assert.False(stats.RequestRestartPermission(-1, window, TimeSpan.FromMilliseconds(10).Ticks));
        Assert.True(stats.RequestRestartPermission(-1, window, TimeSpan.FromSeconds(3).Ticks));
    }

    [Fact]
    public void Strategies_AkkaConstructorShapes_CompileAndMeanTheSame()
    {
        var named = new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Resume);
        Assert.Equal(10, named.MaxNrOfRetries);
        Assert.Equal(TimeSpan.FromMinutes(1), named.WithinTimeRange);
        Assert.Equal(Directive.Resume, named.Decider(new InvalidOperationException()));

        var milliseconds = new AllForOneStrategy(3, 30_000, _ => Directive.Restart, loggingEnabled: false);
        Assert.Equal(3, milliseconds.MaxNrOfRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), milliseconds.WithinTimeRange);
        Assert.False(milliseconds.LoggingEnabled);

        var noWindow = new OneForOneStrategy(-1, -1, _ => Directive.Stop);
        Assert.Null(noWindow.WithinTimeRange);
        Assert.Equal(-1, noWindow.MaxNrOfRetries);

        var deciderOnly = new AllForOneStrategy(localOnlyDecider: _ => Directive.Escalate, loggingEnabled: false);
        Assert.False(deciderOnly.LoggingEnabled);
    }

    [Fact]
    public async Task FailureInOneChild_LeavesSiblingStateIntact()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new TestActors.Supervisor(SupervisorStrategy.DefaultStrategy)));
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "a"));
        var a = await ExpectMsgAsync<IActorRef>();
        supervisor.Tell((Props.Create(() => new TestActors.Counter()), "b"));
        var b = await ExpectMsgAsync<IActorRef>();
        b.Tell("x");
        a.Tell("fail");
        Assert.Equal(0, await CountOfAsync(a));
        Assert.Equal(1, await CountOfAsync(b));
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor() => throw new InvalidOperationException("ctor");
    }
}
