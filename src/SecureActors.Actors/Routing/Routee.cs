using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Routing;

/// <summary>A destination a routing logic can choose.</summary>
public abstract class Routee
{
    /// <summary>Delivers a message keeping its sender.</summary>
    public abstract void Send(object message, IActorRef? sender);

    /// <summary>A stable name for the routee, used to place it on a consistent-hash ring.</summary>
    internal virtual string Identity => ToString() ?? "";

    /// <summary>Messages waiting in its mailbox; -1 when unknown.</summary>
    internal virtual int QueuedMessages => -1;

    /// <summary>True while it is handling a message or suspended.</summary>
    internal virtual bool IsBusy => false;
}

/// <summary>A routee that is an actor.</summary>
public sealed class ActorRefRoutee(IActorRef actor) : Routee
{
    /// <summary>The actor.</summary>
    public IActorRef Actor { get; } = actor;

    /// <inheritdoc />
    public override void Send(object message, IActorRef? sender) => Actor.Tell(message, sender);

    internal override string Identity => Actor.Path.ToString();

    internal override int QueuedMessages => Actor is LocalActorRef local ? local.Cell.Mailbox.NumberOfMessages : -1;

    internal override bool IsBusy => Actor is LocalActorRef local && (local.Cell.Mailbox.IsScheduled || local.Cell.Mailbox.IsSuspended);

    /// <inheritdoc />
    public override string ToString() => Actor.Path.ToString();
}

/// <summary>No routee fits the message; the router sends it to dead letters.</summary>
public sealed class NoRoutee : Routee
{
    /// <summary>The single instance.</summary>
    public static readonly NoRoutee Instance = new();

    private NoRoutee()
    {
    }

    /// <inheritdoc />
    public override void Send(object message, IActorRef? sender)
    {
    }
}

/// <summary>Several routees that all get the message (broadcast).</summary>
public sealed class SeveralRoutees(IReadOnlyList<Routee> routees) : Routee
{
    /// <summary>The routees.</summary>
    public IReadOnlyList<Routee> Routees { get; } = routees;

    /// <inheritdoc />
    public override void Send(object message, IActorRef? sender)
    {
        foreach (var routee in Routees)
        {
            routee.Send(message, sender);
        }
    }
}
