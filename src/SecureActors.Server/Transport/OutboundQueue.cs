using System.Buffers;

namespace SecureActors.Server.Transport;

/// <summary>What <see cref="OutboundQueue.TryEnqueueOrTakeTurn"/> decided.</summary>
internal enum SendTurn
{
    /// <summary>Over the byte limit, or the queue is completed: nothing was queued.</summary>
    Refused,

    /// <summary>A send is in progress; a copy of the bytes waits behind it.</summary>
    Queued,

    /// <summary>Nobody is sending and nothing waits: the caller owns the send side and writes the bytes itself.</summary>
    Yours,
}

/// <summary>What ending a turn at the send side found.</summary>
internal enum TurnEnd
{
    /// <summary>More bytes were queued meanwhile: the turn goes on, send them.</summary>
    MoreQueued,

    /// <summary>The send side is idle.</summary>
    Idle,

    /// <summary>The send side is idle and the queue completed: the caller shuts the sending side down.</summary>
    IdleAndCompleted,
}

/// <summary>
/// Bytes waiting for the socket, and who may write to it. Whoever sends first while the send side is
/// idle gets the turn and writes straight from its own buffer, on its own thread (the session's, for a
/// reply): no copy and no hand-off in the common case of a socket that takes the bytes at once. Only
/// while a write is in progress are bytes copied into pooled buffers and queued behind it, bounded in
/// bytes: over the limit enqueueing fails, and the session drops the client that stopped reading.
/// One lock guards the turn, the queue and its byte count.
/// </summary>
internal sealed class OutboundQueue(long limitBytes)
{
    private readonly Lock _gate = new();
    private Queue<OutboundBuffer>? _items;
    private long _queuedBytes;
    private bool _turnTaken;
    private bool _completed;

    /// <summary>Bytes queued and not yet taken by the sender.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_gate)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Takes the send side if it is idle, else queues a copy of <paramref name="bytes"/> behind the send in progress.</summary>
    public SendTurn TryEnqueueOrTakeTurn(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return SendTurn.Refused;
            }

            if (!_turnTaken)
            {
                _turnTaken = true;
                return SendTurn.Yours;
            }

            return EnqueueLocked(bytes) ? SendTurn.Queued : SendTurn.Refused;
        }
    }

    /// <summary>
    /// The turn's owner queues the part of its own write the socket did not take, at the head of the
    /// line. Those bytes were already accepted, so the limit does not apply to them.
    /// </summary>
    public void RequeueUnsent(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            var rented = Copy(bytes);
            var items = _items ??= new Queue<OutboundBuffer>();
            _queuedBytes += bytes.Length;
            if (items.Count == 0)
            {
                items.Enqueue(rented);
                return;
            }

            // Rare (the owner's unsent rest while others queued behind it): rebuild with the rest first.
            var rest = items.ToArray();
            items.Clear();
            items.Enqueue(rented);
            foreach (var item in rest)
            {
                items.Enqueue(item);
            }
        }
    }

    /// <summary>The turn's owner takes the next queued buffer, if any, and returns it with <see cref="OutboundBuffer.Return"/> once written.</summary>
    public bool TryDequeue(out OutboundBuffer buffer)
    {
        lock (_gate)
        {
            if (_items is { Count: > 0 } items)
            {
                buffer = items.Dequeue();
                _queuedBytes -= buffer.Length;
                return true;
            }

            buffer = default;
            return false;
        }
    }

    /// <summary>The next queued buffer's length without taking it; 0 if none.</summary>
    public int PeekLength()
    {
        lock (_gate)
        {
            return _items is { Count: > 0 } items ? items.Peek().Length : 0;
        }
    }

    /// <summary>The turn's owner ends its turn, unless more was queued meanwhile.</summary>
    public TurnEnd TryEndTurn()
    {
        lock (_gate)
        {
            if (_items is { Count: > 0 })
            {
                return TurnEnd.MoreQueued;
            }

            _turnTaken = false;
            if (!_completed)
            {
                return TurnEnd.Idle;
            }

            // Completed: nobody can take a turn again, so the send side stays ours to shut down.
            _turnTaken = true;
            return TurnEnd.IdleAndCompleted;
        }
    }

    /// <summary>
    /// No more bytes will be queued. True when the send side is idle at that moment: the caller then
    /// owns it and shuts it down; otherwise the turn's owner does when its turn ends.
    /// </summary>
    public bool Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (_turnTaken)
            {
                return false;
            }

            _turnTaken = true;
            return true;
        }
    }

    /// <summary>Completes the queue and gives every queued buffer back (the connection is aborted).</summary>
    public void Discard()
    {
        lock (_gate)
        {
            _completed = true;
            while (_items is { Count: > 0 } items)
            {
                items.Dequeue().Return();
            }

            _queuedBytes = 0;
        }
    }

    private bool EnqueueLocked(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return true;
        }

        if (_queuedBytes + bytes.Length > limitBytes)
        {
            return false;
        }

        (_items ??= new Queue<OutboundBuffer>()).Enqueue(Copy(bytes));
        _queuedBytes += bytes.Length;
        return true;
    }

    private static OutboundBuffer Copy(ReadOnlySpan<byte> bytes)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return new OutboundBuffer(rented, bytes.Length);
    }
}

/// <summary>One queued run of bytes in a buffer rented from the shared pool.</summary>
internal readonly record struct OutboundBuffer(byte[] Rented, int Length)
{
    /// <summary>The queued bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Rented.AsMemory(0, Length);

    /// <summary>Gives the buffer back to the pool; the bytes are ciphertext or plaintext alerts, nothing secret to clear.</summary>
    public void Return() => ArrayPool<byte>.Shared.Return(Rented);
}
