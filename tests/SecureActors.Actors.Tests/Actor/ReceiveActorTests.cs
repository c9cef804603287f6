using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

/// <summary>
/// Receive&lt;T&gt;(Func&lt;T, bool&gt;), as in Akka.NET: the handler's result says whether it handled
/// the message; false hands it to the next matching handler, then to Unhandled. Each test ends
/// with a "done" marker handled last, so a report that should not come would arrive before it.
/// </summary>
public sealed class ReceiveActorTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task ReceiveFunc_HandlerReturnsTrue_LaterHandlersAreNotTried()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Declining(TestActor)));

        actor.Tell("take");
        actor.Tell("done");

        await ExpectMsgAsync("func take");
        await ExpectMsgAsync("done");
    }

    [Fact]
    public async Task ReceiveFunc_HandlerReturnsFalse_NextMatchingHandlerGetsTheMessage()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Declining(TestActor)));

        actor.Tell("pass");
        actor.Tell("done");

        await ExpectMsgAsync("func pass");
        await ExpectMsgAsync("fallback pass");
        await ExpectMsgAsync("done");
    }

    [Fact]
    public async Task ReceiveFunc_MessageOfAnotherType_IsNotOfferedToTheHandler()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Declining(TestActor)));

        actor.Tell(42);
        actor.Tell("done");

        await ExpectMsgAsync("int 42");
        await ExpectMsgAsync("done");
    }

    [Fact]
    public async Task ReceiveFunc_EveryHandlerDeclines_MessageIsUnhandled()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new DecliningOnly(TestActor)));

        actor.Tell("anything");

        await ExpectMsgAsync("declined anything");
        Assert.Equal("anything", (await ExpectMsgAsync<UnhandledMessage>()).Message);
    }

    [Fact]
    public async Task ReceiveFunc_BecomeThenFalse_CurrentMessageFallsThroughTheOldBehaviourAndTheNextUsesTheNewOne()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switching(TestActor)));

        actor.Tell("switch");
        actor.Tell("who");

        await ExpectMsgAsync("old fallback switch");
        await ExpectMsgAsync("new who");
    }

    [Fact]
    public async Task ReceiveFunc_InsideBecome_DeclinesToTheNextHandlerOfThatBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switching(TestActor)));

        actor.Tell("switch");
        actor.Tell("pass");
        actor.Tell("who");

        await ExpectMsgAsync("old fallback switch");
        await ExpectMsgAsync("new fallback pass");
        await ExpectMsgAsync("new who");
    }

    [Fact]
    public async Task Receive_ExpressionLambdaOfBoolType_BindsToTheFuncOverloadSoFalseIsUnhandled()
    {
        // The overload trap the docs warn about: HashSet.Add returns false for a repeat, so the
        // repeat is declined; the block-bodied form handles every message whatever Add returns.
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new SetAdder(TestActor)));

        actor.Tell("a");
        actor.Tell("a");
        actor.Tell(1);
        actor.Tell(1);
        actor.Tell("done");

        Assert.Equal("a", (await ExpectMsgAsync<UnhandledMessage>()).Message);
        await ExpectMsgAsync("done");
    }

    [Fact]
    public async Task ReceiveAsync_PredicateFirst_HandlesOnlyMatchingMessages()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncWithPredicate(TestActor)));

        actor.Tell("other");
        actor.Tell("async");

        await ExpectMsgAsync("sync other");
        await ExpectMsgAsync("async async");
    }

    private sealed class Declining : ReceiveActor
    {
        public Declining(IActorRef probe)
        {
            Receive<string>(s =>
            {
                if (s is "done")
                {
                    return false;
                }

                probe.Tell("func " + s);
                return s == "take";
            });
            Receive<int>(i =>
            {
                probe.Tell("int " + i);
            });
            Receive<string>(s => s != "done", s => probe.Tell("fallback " + s));
            Receive<string>(s => probe.Tell(s));
        }
    }

    private sealed class DecliningOnly : ReceiveActor
    {
        public DecliningOnly(IActorRef probe) => Receive<string>(s =>
        {
            probe.Tell("declined " + s);
            return false;
        });
    }

    private sealed class Switching : ReceiveActor
    {
        public Switching(IActorRef probe)
        {
            Receive<string>(s =>
            {
                if (s != "switch")
                {
                    return false;
                }

                Become(() =>
                {
                    Receive<string>(n => n == "who" && Reported(probe, "new who"));
                    Receive<string>(n => probe.Tell("new fallback " + n));
                });
                return false;
            });
            Receive<string>(s => probe.Tell("old fallback " + s));
        }

        private static bool Reported(IActorRef probe, string text)
        {
            probe.Tell(text);
            return true;
        }
    }

    private sealed class SetAdder : ReceiveActor
    {
        private readonly HashSet<string> _texts = [];
        private readonly HashSet<int> _numbers = [];

        public SetAdder(IActorRef probe)
        {
            Receive<string>(s => s == "done", _ => probe.Tell("done"));
            Receive<string>(s => _texts.Add(s));
            Receive<int>(i => { _numbers.Add(i); });
        }
    }

    private sealed class AsyncWithPredicate : ReceiveActor
    {
        public AsyncWithPredicate(IActorRef probe)
        {
            ReceiveAsync<string>(s => s == "async", async s =>
            {
                await Task.Yield();
                probe.Tell("async " + s);
            });
            Receive<string>(s => probe.Tell("sync " + s));
        }
    }
}
