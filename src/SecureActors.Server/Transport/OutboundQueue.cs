using System.Buffers;
using System.Threading.Channels;

namespace SecureActors.Server.Transport;

/// <summary>
/// Bytes waiting for the socket, bounded in bytes rather than items. Enqueueing never blocks: over
/// the limit it fails, and the session drops the client that stopped reading. Enqueued bytes are
/// copied into a pooled buffer, so the caller may reuse its own buffer at once (the session
/// serialises every record into one reusable writer instead of allocating an array per flush).
/// </summary>
internal sealed class OutboundQueue(long limitBytes)
{
    // Synchronous continuations: when the send loop is idle, the session's enqueue runs the loop's
    // continuation inline, so a reply is written to the socket on the session's own thread (the
    // socket accepts it at once unless its buffer is full) instead of waking another pool thread.
    // A full socket buffer makes the send asynchronous and the session's turn continues.
    private readonly Channel<OutboundBuffer> _items = Channel.CreateUnbounded<OutboundBuffer>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = true });

    private long _queuedBytes;

    /// <summary>Bytes queued and not yet taken by the send loop.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Queues a copy of <paramref name="bytes"/>; false when that would exceed the limit or the queue is completed.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return true;
        }

        if (Interlocked.Add(ref _queuedBytes, bytes.Length) > limitBytes)
        {
            Interlocked.Add(ref _queuedBytes, -bytes.Length);
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        if (!_items.Writer.TryWrite(new OutboundBuffer(rented, bytes.Length)))
        {
            ArrayPool<byte>.Shared.Return(rented);
            Interlocked.Add(ref _queuedBytes, -bytes.Length);
            return false;
        }

        return true;
    }

    /// <summary>No more bytes will be queued; the send loop drains what is there and ends.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Waits until something is queued; false once completed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _items.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next queued buffer, if any; the taker returns it with <see cref="OutboundBuffer.Return"/> once written.</summary>
    public bool TryDequeue(out OutboundBuffer buffer)
    {
        if (_items.Reader.TryRead(out buffer))
        {
            Interlocked.Add(ref _queuedBytes, -buffer.Length);
            return true;
        }

        return false;
    }

    /// <summary>Peeks at the next buffer's length without taking it; 0 if none.</summary>
    public int PeekLength() => _items.Reader.TryPeek(out var next) ? next.Length : 0;
}

/// <summary>One queued run of bytes in a buffer rented from the shared pool.</summary>
internal readonly record struct OutboundBuffer(byte[] Rented, int Length)
{
    /// <summary>The queued bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Rented.AsMemory(0, Length);

    /// <summary>Gives the buffer back to the pool; the bytes are ciphertext or plaintext alerts, nothing secret to clear.</summary>
    public void Return() => ArrayPool<byte>.Shared.Return(Rented);
}
