using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Actor;

/// <summary>AroundReceive wraps every user message's handling, whatever behaviour is current.</summary>
public sealed class AroundReceiveTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task AroundReceive_SeesEveryMessageInEveryBehaviourAndCanRefuseOne()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Wrapped(TestActor)));

        actor.Tell("hello");
        await ExpectMsgAsync("around hello");
        await ExpectMsgAsync("initial hello");
        actor.Tell("become");
        await ExpectMsgAsync("around become");
        actor.Tell("hi");
        await ExpectMsgAsync("around hi");
        await ExpectMsgAsync("second hi");

        // Not passed on: reported as unhandled, exactly as if no handler matched.
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        actor.Tell("swallow");
        await ExpectMsgAsync("around swallow");
        Assert.Equal("swallow", (await ExpectMsgAsync<UnhandledMessage>()).Message);
    }

    [Fact]
    public async Task AroundReceive_ExceptionFromTheHandler_PassesThroughToSupervision()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Wrapped(TestActor)));

        await EventFilter.Exception<InvalidOperationException>().ExpectOneAsync(() => actor.Tell("fail"));
        await ExpectMsgAsync("around fail");
        await ExpectMsgAsync("caught InvalidOperationException");

        // Restarted by the default strategy: back in the initial behaviour.
        actor.Tell("again");
        await ExpectMsgAsync("around again");
        await ExpectMsgAsync("initial again");
    }

    private sealed class Wrapped : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Wrapped(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(s => s == "become", _ => Become(() => Receive<string>(s => _probe.Tell("second " + s))));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("boom"));
            Receive<string>(s => _probe.Tell("initial " + s));
        }

        protected override bool AroundReceive(Receive receive, object message)
        {
            _probe.Tell("around " + message);
            if (Equals(message, "swallow"))
            {
                return false;
            }

            try
            {
                return base.AroundReceive(receive, message);
            }
            catch (Exception e)
            {
                _probe.Tell("caught " + e.GetType().Name);
                throw;
            }
        }
    }
}
