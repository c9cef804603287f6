using System.Collections.Concurrent;

namespace SecureActors.Actors.Dispatch;

/// <summary>
/// A queue holding at most <c>capacity</c> messages. A sender that finds it full is never blocked
/// (unlike Akka's push-timeout): the message is refused at once and the mailbox turns it into a
/// <c>Dropped</c> event on the event stream.
/// </summary>
internal sealed class BoundedMessageQueue(int capacity) : MessageQueue
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private int _count;

    public int Capacity { get; } = capacity;

    public override bool TryEnqueue(in Envelope envelope)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _queue.Enqueue(envelope);
        return true;
    }

    public override bool TryDequeue(out Envelope envelope)
    {
        if (!_queue.TryDequeue(out envelope))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    public override bool HasMessages => !_queue.IsEmpty;

    public override int Count => Volatile.Read(ref _count);
}
