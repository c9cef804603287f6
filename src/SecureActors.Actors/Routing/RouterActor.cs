using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Routing;

/// <summary>
/// The actor behind a pool: it owns and supervises the routees, watches them, drops the ones that
/// stop (stopping itself when none is left) and answers management messages. It keeps its routees
/// when it is restarted itself.
/// </summary>
internal sealed class RouterActor(Pool pool, Props routeeProps) : ActorBase
{
    private RoutedActorRef Router => (RoutedActorRef)Self;

    protected override void PreStart()
    {
        foreach (var child in Context.Children)
        {
            Context.Watch(child);
        }
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        // Keep the routees: a router failure says nothing about them.
    }

    protected override SupervisorStrategy SupervisorStrategy() => pool.SupervisorStrategy;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated:
                Router.Routees = [.. Router.Routees.Where(r => !(r is ActorRefRoutee a && ReferenceEquals(a.Actor, terminated.ActorRef)))];
                if (Router.Routees.Length == 0)
                {
                    Context.Stop(Self);
                }

                return true;
            case GetRoutees:
                Sender.Tell(new Routees([.. Router.Routees.OfType<ActorRefRoutee>().Select(r => r.Actor)]), Self);
                return true;
            case AdjustPoolSize { Change: > 0 } grow:
                var added = new List<Routee>();
                for (var i = 0; i < grow.Change; i++)
                {
                    added.Add(new ActorRefRoutee(Context.Watch(Context.ActorOf(routeeProps))));
                }

                Router.Routees = [.. Router.Routees, .. added];
                return true;
            case AdjustPoolSize { Change: < 0 } shrink:
                var current = Router.Routees;
                var remove = Math.Min(-shrink.Change, current.Length);
                var removed = current[^remove..];
                Router.Routees = current[..^remove];
                foreach (var routee in removed.OfType<ActorRefRoutee>())
                {
                    Context.Unwatch(routee.Actor);
                    routee.Actor.Tell(PoisonPill.Instance, Self);
                }

                if (Router.Routees.Length == 0)
                {
                    Context.Stop(Self);
                }

                return true;
            case AdjustPoolSize:
                return true;
            default:
                Router.Route(message, Sender);
                return true;
        }
    }
}
