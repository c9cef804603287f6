using SecureActors.Actors.Actor;
using SecureActors.Actors.Routing;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Routing;

public sealed class PoolRouterTests(ITestOutputHelper output) : TestKit.TestKit(@"
actors.actor.crypto-dispatcher {
  type = ForkJoinDispatcher
  dedicated-thread-pool.thread-count = 2
}
actors.actor.deployment {
  ""/crypto"" {
    router = round-robin-pool
    nr-of-instances = 4
    dispatcher = actors.actor.crypto-dispatcher
  }
  ""/hashed"" {
    router = consistent-hashing-pool
    nr-of-instances = 3
  }
}", output)
{
    [Fact]
    public async Task RoundRobinPool_SpreadsMessagesEvenly()
    {
        var router = Sys.ActorOf(Props.Create(() => new WhoAmI()).WithRouter(new RoundRobinPool(4)));
        for (var i = 0; i < 40; i++)
        {
            router.Tell(i, TestActor);
        }

        var names = await ReceiveNAsync(40);
        Assert.All(names.GroupBy(n => n), g => Assert.Equal(10, g.Count()));
        Assert.Equal(4, names.Distinct().Count());
    }

    [Fact]
    public async Task Router_RouteesSeeOriginalSender()
    {
        var router = Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(new RoundRobinPool(2)));
        var probe = CreateTestProbe();
        router.Tell("x", probe.Ref);
        await probe.ExpectMsgAsync("x");
    }

    [Fact]
    public async Task BroadcastMessage_ReachesEveryRoutee()
    {
        var router = Sys.ActorOf(Props.Create(() => new WhoAmI()).WithRouter(new RoundRobinPool(3)));
        router.Tell(new Broadcast("all"), TestActor);
        var names = await ReceiveNAsync(3);
        Assert.Equal(3, names.Distinct().Count());
    }

    [Fact]
    public async Task BroadcastPool_SendsEachMessageToAll()
    {
        var router = Sys.ActorOf(Props.Create(() => new WhoAmI()).WithRouter(new BroadcastPool(3)));
        router.Tell("m", TestActor);
        Assert.Equal(3, (await ReceiveNAsync(3)).Distinct().Count());
    }

    [Fact]
    public async Task FailingRoutee_RestartsAloneOthersKeepState()
    {
        var router = Sys.ActorOf(Props.Create(() => new TestActors.Counter()).WithRouter(new BroadcastPool(3)));
        router.Tell("x");
        var routees = (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members;
        Assert.Equal(3, routees.Count);
        await EventFilter.Exception<ArithmeticException>().ExpectOneAsync(() => routees[0].Tell("fail"));
        Assert.Equal(0, await routees[0].Ask<int>("get", TimeSpan.FromSeconds(3)));
        Assert.Equal(1, await routees[1].Ask<int>("get", TimeSpan.FromSeconds(3)));
        Assert.Equal(1, await routees[2].Ask<int>("get", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task PoisonPill_StopsRouterAndItsRoutees()
    {
        var router = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(new RoundRobinPool(2))));
        var routees = (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members;
        Watch(routees[0]);
        router.Tell(PoisonPill.Instance);
        await FishForMessageAsync<Terminated>(t => ReferenceEquals(t.ActorRef, router));
    }

    [Fact]
    public async Task Router_LastRouteeStops_RouterStops()
    {
        var router = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(new RoundRobinPool(1))));
        var routees = (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members;
        routees[0].Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(router);
    }

    [Fact]
    public async Task AdjustPoolSize_GrowsThePool()
    {
        var router = Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(new RoundRobinPool(1)));
        router.Tell(new AdjustPoolSize(2));
        await AwaitAssertAsync(async () => Assert.Equal(3, (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members.Count));
    }

    [Fact]
    public async Task FromConfig_Deployment_BuildsPoolOnConfiguredDispatcher()
    {
        var router = Sys.ActorOf(Props.Create(() => new ThreadName()).WithRouter(FromConfig.Instance), "crypto");
        var routees = (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members;
        Assert.Equal(4, routees.Count);
        router.Tell(new Broadcast("thread"), TestActor);
        var threads = await ReceiveNAsync(4);
        Assert.All(threads, t => Assert.StartsWith("actors.actor.crypto-dispatcher", (string)t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deployment_OverridesRouterWrittenInCode()
    {
        var router = Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(new RoundRobinPool(1)), "crypto");
        var routees = (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(3))).Members;
        Assert.Equal(4, routees.Count);
    }

    [Fact]
    public void FromConfig_WithoutDeployment_Throws()
    {
        Assert.Throws<SecureActors.Hocon.ConfigException>(() => Sys.ActorOf(Props.Create(() => new TestActors.Echo()).WithRouter(FromConfig.Instance), "undeployed"));
    }

    [Fact]
    public async Task ConsistentHashingPool_FromConfig_SameKeySameRoutee()
    {
        var router = Sys.ActorOf(Props.Create(() => new WhoAmI()).WithRouter(FromConfig.Instance), "hashed");
        for (var i = 0; i < 5; i++)
        {
            router.Tell(new ConsistentHashableEnvelope("m", "session-1"), TestActor);
        }

        var names = await ReceiveNAsync(5);
        Assert.Single(names.Distinct());
    }

    [Fact]
    public async Task ConsistentHashingPool_MessageWithoutKey_GoesToDeadLetters()
    {
        var router = Sys.ActorOf(Props.Create(() => new WhoAmI()).WithRouter(new ConsistentHashingPool(2)));
        await EventFilter.DeadLetter<string>(s => s == "keyless").ExpectOneAsync(() => router.Tell("keyless", TestActor));
    }

    private sealed class WhoAmI : ReceiveActor
    {
        public WhoAmI() => ReceiveAny(_ => Sender.Tell(Self.Path.Name));
    }

    private sealed class ThreadName : ReceiveActor
    {
        public ThreadName() => ReceiveAny(_ => Sender.Tell(Thread.CurrentThread.Name ?? ""));
    }
}
