namespace SecureActors.Actors.Actor;

/// <summary>Implemented by public wrappers of a reference (the TestKit's TestActorRef) so the runtime can reach the real one.</summary>
internal interface IActorRefWrapper
{
    InternalActorRef Underlying { get; }
}

internal static class InternalActorRefExtensions
{
    /// <summary>The runtime's view of a reference; every reference the runtime hands out has one.</summary>
    public static InternalActorRef AsInternal(this IActorRef actor) => actor switch
    {
        InternalActorRef internalRef => internalRef,
        IActorRefWrapper wrapper => wrapper.Underlying,
        null => throw new ArgumentNullException(nameof(actor)),
        _ => throw new ArgumentException($"{actor} is not a reference created by an actor system.", nameof(actor)),
    };
}
