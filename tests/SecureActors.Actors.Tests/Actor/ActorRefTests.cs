using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

public sealed class ActorRefTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task Tell_FromTest_ReplyReachesTestActorAsImplicitSender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "echo");
        echo.Tell("hello");
        Assert.Equal("hello", await ExpectMsgAsync<string>());
        Assert.Same(echo, LastSender);
    }

    [Fact]
    public async Task Tell_ManyMessagesFromOneSender_ArriveInOrder()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        for (var i = 0; i < 1000; i++)
        {
            echo.Tell(i, TestActor);
        }

        var received = await ReceiveNAsync(1000);
        Assert.Equal(Enumerable.Range(0, 1000).Cast<object>(), received);
    }

    [Fact]
    public async Task Forward_KeepsOriginalSender()
    {
        var target = CreateTestProbe();
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(target.Ref)));
        forwarder.Tell("x", TestActor);
        await target.ExpectMsgAsync("x");
        Assert.Same(TestActor, target.LastSender);
    }

    [Fact]
    public void ActorOf_DuplicateName_ThrowsInvalidActorName()
    {
        Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "same");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "same"));
    }

    [Fact]
    public void ActorOf_InvalidName_ThrowsInvalidActorName()
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "bad/name"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "$reserved"));
    }

    [Fact]
    public async Task ContextChild_KnownAndUnknownName_ChildOrNobody()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ChildFinder()));
        parent.Tell("kid");
        var found = await ExpectMsgAsync<IActorRef>();
        Assert.False(found.IsNobody());
        Assert.Equal("kid", found.Path.Name);
        parent.Tell("stranger");
        var missing = await ExpectMsgAsync<IActorRef>();
        Assert.Same(ActorRefs.Nobody, missing);
        Assert.True(missing.IsNobody());
        Assert.True(ActorRefs.NoSender.IsNobody());
    }

    [Fact]
    public async Task ActorOf_NameOfStoppedActor_CanBeReused()
    {
        var first = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "reused"));
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);
        await AwaitAssertAsync(() => Assert.NotNull(Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "reused")));
    }

    [Fact]
    public void Path_OfTopLevelActor_IsUnderUser()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()), "named");
        Assert.Equal("sa://test/user/named", echo.Path.ToString());
        Assert.Equal("named", echo.Path.Name);
        Assert.NotEqual(0, echo.Path.Uid);
    }

    [Fact]
    public async Task ActorSelection_AbsoluteAndWildcard_ResolveLiveActors()
    {
        var parent = Sys.ActorOf(Props.Create(() => new TestActors.Lifecycle(TestActor, "p")), "parent");
        await ExpectMsgAsync("p:ctor");
        await ExpectMsgAsync("p:preStart");
        parent.Tell("child:kid1");
        parent.Tell("child:kid2");
        await ExpectMsgAllOfAsync("kid1:ctor", "kid1:preStart", "kid2:ctor", "kid2:preStart");

        var one = await Sys.ActorSelection("/user/parent/kid1").ResolveOne();
        Assert.Equal("kid1", one.Path.Name);
        Sys.ActorSelection("/user/parent/kid*").Tell("ping", TestActor);
        await ExpectMsgAllOfAsync("kid1:got:ping", "kid2:got:ping");
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/nobody").ResolveOne());
    }

    [Fact]
    public async Task ActorSelection_NoMatch_SendsToDeadLetters()
    {
        await EventFilter.DeadLetter<string>(s => s == "lost").ExpectOneAsync(() => Sys.ActorSelection("/user/missing").Tell("lost", TestActor));
    }

    [Fact]
    public async Task Identify_AnyActor_RepliesWithActorIdentity()
    {
        var echo = Sys.ActorOf(Props.Create(() => new TestActors.Echo()));
        echo.Tell(new Identify(42), TestActor);
        var identity = await ExpectMsgAsync<ActorIdentity>();
        Assert.Equal(42, identity.MessageId);
        Assert.Same(echo, identity.Subject);
    }

    [Fact]
    public async Task Identify_StoppedActor_RepliesWithEmptyActorIdentity()
    {
        var echo = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        Sys.Stop(echo);
        await ExpectTerminatedAsync(echo);
        echo.Tell(new Identify(7), TestActor);
        var identity = await ExpectMsgAsync<ActorIdentity>();
        Assert.Equal(7, identity.MessageId);
        Assert.Null(identity.Subject);
    }

    [Fact]
    public async Task Identify_SelectionMatchingNobody_RepliesWithEmptyActorIdentity()
    {
        Sys.ActorSelection("/user/missing").Tell(new Identify("who"), TestActor);
        var identity = await ExpectMsgAsync<ActorIdentity>();
        Assert.Equal("who", identity.MessageId);
        Assert.Null(identity.Subject);
    }

    [Fact]
    public async Task Tell_ToStoppedActor_PublishesDeadLetter()
    {
        var echo = Watch(Sys.ActorOf(Props.Create(() => new TestActors.Echo())));
        Sys.Stop(echo);
        await ExpectTerminatedAsync(echo);
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        echo.Tell("late", TestActor);
        var dead = await probe.ExpectMsgAsync<DeadLetter>();
        Assert.Equal("late", dead.Message);
        Assert.Same(echo, dead.Recipient);
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private sealed class ChildFinder : ReceiveActor
    {
        public ChildFinder()
        {
            Context.ActorOf(Props.Create(() => new TestActors.Echo()), "kid");
            Receive<string>(name => Sender.Tell(Context.Child(name)));
        }
    }
}
