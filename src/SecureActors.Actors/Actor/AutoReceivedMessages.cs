namespace SecureActors.Actors.Actor;

/// <summary>Marks messages the actor cell handles itself before user code sees them.</summary>
internal interface IAutoReceivedMessage;

/// <summary>Messages that do not reset an actor's receive timeout.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Queued like normal mail; stops the actor once every earlier message has been handled.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the actor throw <see cref="ActorKilledException"/>, which the default strategy turns into Stop.</summary>
public sealed class Kill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}

/// <summary>Sent to an actor after its receive timeout passes without a message.</summary>
public sealed class ReceiveTimeout : IAutoReceivedMessage, INotInfluenceReceiveTimeout
{
    /// <summary>The single instance.</summary>
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Every actor answers with <see cref="ActorIdentity"/> carrying its reference.</summary>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage;

/// <summary>The answer to <see cref="Identify"/>; <see cref="Subject"/> is null when nobody lives at the path.</summary>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);

/// <summary>
/// A watched actor has stopped. <see cref="ExistenceConfirmed"/> is false when it was already dead
/// (or never existed) when the watch began.
/// </summary>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated) : IAutoReceivedMessage;

/// <summary>Replies that carry an outcome: a failure reply completes an Ask with the exception.</summary>
public static class Status
{
    /// <summary>The operation succeeded, with an optional result.</summary>
    public sealed record Success(object? Status);

    /// <summary>The operation failed with <see cref="Cause"/>.</summary>
    public sealed record Failure(Exception Cause, object? State = null);
}
