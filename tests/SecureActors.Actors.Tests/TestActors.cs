using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Tests;

/// <summary>Small actors shared by the tests.</summary>
internal static class TestActors
{
    /// <summary>Replies with whatever it receives.</summary>
    public sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    /// <summary>Reports each lifecycle hook to <c>reporter</c> and throws on "fail".</summary>
    public sealed class Lifecycle : ReceiveActor
    {
        private readonly IActorRef _reporter;
        private readonly string _id;

        public Lifecycle(IActorRef reporter, string id = "a")
        {
            _reporter = reporter;
            _id = id;
            _reporter.Tell($"{_id}:ctor", Self);
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("boom"));
            Receive<string>(s => s == "stop", _ => Context.Stop(Self));
            Receive<string>(s => s.StartsWith("child:", StringComparison.Ordinal), s => Context.ActorOf(Props.Create(() => new Lifecycle(_reporter, s[6..])), s[6..]));
            ReceiveAny(m => _reporter.Tell($"{_id}:got:{m}", Self));
        }

        protected override void PreStart() => _reporter.Tell($"{_id}:preStart", Self);

        protected override void PostStop() => _reporter.Tell($"{_id}:postStop", Self);

        protected override void PreRestart(Exception reason, object? message)
        {
            _reporter.Tell($"{_id}:preRestart:{message}", Self);
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _reporter.Tell($"{_id}:postRestart", Self);
            base.PostRestart(reason);
        }
    }

    /// <summary>Creates children from props it receives, with its own strategy, and forwards other messages to the named child.</summary>
    public sealed class Supervisor : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public Supervisor(SupervisorStrategy strategy)
        {
            _strategy = strategy;
            Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name)));
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }

    /// <summary>Counts messages; "get" replies with the count; "fail" throws.</summary>
    public sealed class Counter : ReceiveActor
    {
        private int _count;

        public Counter()
        {
            Receive<string>(s => s == "get", _ => Sender.Tell(_count));
            Receive<string>(s => s == "fail", _ => throw new ArithmeticException("counter failed"));
            ReceiveAny(_ => _count++);
        }
    }
}
