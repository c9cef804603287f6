using System.Collections.Concurrent;

namespace SecureActors.Actors.Dispatch;

/// <summary>
/// The default queue. <see cref="ConcurrentQueue{T}"/> of struct envelopes is a ring of segments:
/// while the queue stays within one segment, enqueue and dequeue allocate nothing.
/// </summary>
internal sealed class UnboundedMessageQueue : MessageQueue
{
    private readonly ConcurrentQueue<Envelope> _queue = new();

    public override bool TryEnqueue(in Envelope envelope)
    {
        _queue.Enqueue(envelope);
        return true;
    }

    public override bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    public override bool HasMessages => !_queue.IsEmpty;

    public override int Count => _queue.Count;
}
