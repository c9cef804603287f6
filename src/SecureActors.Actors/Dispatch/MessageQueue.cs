namespace SecureActors.Actors.Dispatch;

/// <summary>Storage of a mailbox's user messages: many producers, one consumer at a time.</summary>
internal abstract class MessageQueue
{
    /// <summary>Adds a message; false when the queue refuses it (a full bounded queue).</summary>
    public abstract bool TryEnqueue(in Envelope envelope);

    public abstract bool TryDequeue(out Envelope envelope);

    public abstract bool HasMessages { get; }

    /// <summary>The number of queued messages; a snapshot, for routing decisions and diagnostics.</summary>
    public abstract int Count { get; }
}
