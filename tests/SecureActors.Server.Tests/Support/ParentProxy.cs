using SecureActors.Actors.Actor;

namespace SecureActors.Server.Tests.Support;

/// <summary>Creates one child and forwards everything the child tells its parent to a probe (e.g. a session's Established event).</summary>
internal sealed class ParentProxy : ReceiveActor
{
    public ParentProxy(Props child, IActorRef probe, string name)
    {
        var created = Context.ActorOf(child, name);
        probe.Tell(created, Self);
        ReceiveAny(message => probe.Forward(message));
    }

    public static Props Props(Props child, IActorRef probe, string name = "child") =>
        Actors.Actor.Props.Create(() => new ParentProxy(child, probe, name));
}
