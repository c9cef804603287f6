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

    /// <summary>Empties the stash without delivering anything, and returns what it held, oldest first (Akka.NET's <c>ClearStash</c>).</summary>
    IReadOnlyList<Dispatch.Envelope> ClearStash();
}

/// <summary>Implemented by actors that stash; the runtime sets <see cref="Stash"/> after construction.</summary>
public interface IWithUnboundedStash
{
    /// <summary>The actor's stash; set by the runtime.</summary>
    IStash Stash { get; set; }
}

/// <summary>Akka.NET's shorter name for an actor with a stash; the stash is unbounded, as there.</summary>
public interface IWithStash : IWithUnboundedStash;
