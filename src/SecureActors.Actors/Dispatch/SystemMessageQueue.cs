namespace SecureActors.Actors.Dispatch;

/// <summary>
/// An actor's system messages, first in first out, from any thread. A linked list under a lock
/// rather than a <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>: system messages are
/// few and rarely contended (create, watch, terminate), while a concurrent queue's first segment
/// costs about half a kilobyte in every actor, and a server keeps one actor per connection.
/// </summary>
internal sealed class SystemMessageQueue
{
    private readonly Lock _gate = new();
    private Node? _head;
    private Node? _tail;

    /// <summary>True when nothing is queued (a lock-free read: the mailbox asks after every message).</summary>
    public bool IsEmpty => Volatile.Read(ref _head) is null;

    public void Enqueue(SystemMessage message)
    {
        var node = new Node(message);
        lock (_gate)
        {
            if (_tail is null)
            {
                Volatile.Write(ref _head, node);
            }
            else
            {
                _tail.Next = node;
            }

            _tail = node;
        }
    }

    public bool TryDequeue(out SystemMessage message)
    {
        if (IsEmpty)
        {
            message = null!;
            return false;
        }

        lock (_gate)
        {
            if (_head is not { } head)
            {
                message = null!;
                return false;
            }

            Volatile.Write(ref _head, head.Next);
            if (head.Next is null)
            {
                _tail = null;
            }

            message = head.Message;
            return true;
        }
    }

    private sealed class Node(SystemMessage message)
    {
        public SystemMessage Message { get; } = message;

        public Node? Next { get; set; }
    }
}
