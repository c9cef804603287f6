namespace SecureActors.Actors.Actor;

/// <summary>
/// Buffers messages an actor cannot handle yet (e.g. during a handshake). Unstashed messages go to
/// the front of the mailbox in their original order. On restart the stash is unstashed; on stop
/// it goes to dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Stashes the message being handled; stashing the same message twice throws <see cref="IllegalActorStateException"/>.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>How many messages are stashed.</summary>
    int Count { get; }
}

/// <summary>Implemented by actors that stash; the runtime sets <see cref="Stash"/> after construction.</summary>
public interface IWithUnboundedStash
{
    /// <summary>The actor's stash; set by the runtime.</summary>
    IStash Stash { get; set; }
}
