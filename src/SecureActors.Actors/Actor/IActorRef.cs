namespace SecureActors.Actors.Actor;

/// <summary>Something a message can be sent to: an actor reference or an actor selection.</summary>
public interface ICanTell
{
    /// <summary>Sends <paramref name="message"/> without waiting; <paramref name="sender"/> null means no sender (replies go to dead letters).</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>
/// An immutable, shareable handle to one incarnation of an actor. Sending never blocks and never
/// throws because the actor has stopped: such messages become dead letters.
/// </summary>
public interface IActorRef : ICanTell
{
    /// <summary>Where the actor lives in the hierarchy, with the uid of this incarnation.</summary>
    ActorPath Path { get; }
}
