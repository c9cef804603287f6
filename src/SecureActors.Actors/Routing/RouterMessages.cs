using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Routing;

/// <summary>A message that wraps the payload the routee receives.</summary>
public abstract record RouterEnvelope(object Message);

/// <summary>Delivers <see cref="RouterEnvelope.Message"/> to every routee of a router, whatever its logic.</summary>
public sealed record Broadcast(object Message) : RouterEnvelope(Message);

/// <summary>A message that names its own consistent-hash key.</summary>
public interface IConsistentHashable
{
    /// <summary>The key; equal keys reach the same routee.</summary>
    object ConsistentHashKey { get; }
}

/// <summary>Wraps a message with a consistent-hash key; the routee receives the bare message.</summary>
public sealed record ConsistentHashableEnvelope(object Message, object HashKey) : RouterEnvelope(Message), IConsistentHashable
{
    /// <inheritdoc />
    public object ConsistentHashKey => HashKey;
}

/// <summary>Messages a router handles itself instead of routing.</summary>
public interface IRouterManagementMessage;

/// <summary>Asks a router for its current routees; it replies with <see cref="Routees"/>.</summary>
public sealed class GetRoutees : IRouterManagementMessage
{
    /// <summary>The single instance.</summary>
    public static readonly GetRoutees Instance = new();

    private GetRoutees()
    {
    }
}

/// <summary>The routees of a router at the time it was asked.</summary>
public sealed record Routees(IReadOnlyList<IActorRef> Members);

/// <summary>Adds (positive) or removes (negative) routees of a pool.</summary>
public sealed record AdjustPoolSize(int Change) : IRouterManagementMessage;
