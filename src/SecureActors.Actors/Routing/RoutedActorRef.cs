using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;

namespace SecureActors.Actors.Routing;

/// <summary>
/// The reference of a pool router. Ordinary messages are routed right here, on the sender's
/// thread, straight into a routee's mailbox; management messages, PoisonPill, Kill and
/// Terminated go to the router actor.
/// </summary>
internal sealed class RoutedActorRef(ActorCell cell, RoutingLogic logic) : LocalActorRef(cell)
{
    private volatile Routee[] _routees = [];

    public RoutingLogic Logic { get; } = logic;

    public Routee[] Routees
    {
        get => _routees;
        set => _routees = value;
    }

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is IRouterManagementMessage or IAutoReceivedMessage)
        {
            base.Tell(message, sender);
            return;
        }

        Route(message, sender ?? Cell.System.DeadLetters);
    }

    public void Route(object message, IActorRef sender)
    {
        var routees = _routees;
        if (message is Broadcast broadcast)
        {
            foreach (var routee in routees)
            {
                routee.Send(broadcast.Message, sender);
            }

            if (routees.Length == 0)
            {
                Cell.System.DeadLetters.Tell(new DeadLetter(broadcast.Message, sender, this), sender);
            }

            return;
        }

        var selected = Logic.Select(message, routees);
        if (selected is NoRoutee)
        {
            if (routees.Length > 0)
            {
                Cell.System.LoggerFor(Path, typeof(RoutedActorRef)).Warning(
                    "Router {ActorPath} found no routee for a message of type {MessageType} (a consistent-hashing router needs a key); sent to dead letters",
                    Path.ToString(), message.GetType().Name);
            }

            Cell.System.DeadLetters.Tell(new DeadLetter(message, sender, this), sender);
            return;
        }

        selected.Send(message is RouterEnvelope envelope ? envelope.Message : message, sender);
    }
}
