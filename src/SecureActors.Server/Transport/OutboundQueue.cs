using System.Threading.Channels;

namespace SecureActors.Server.Transport;

/// <summary>
/// Bytes waiting for the socket, bounded in bytes rather than items. Enqueueing never blocks: over
/// the limit it fails, and the session drops the client that stopped reading.
/// </summary>
internal sealed class OutboundQueue(long limitBytes)
{
    private readonly Channel<ReadOnlyMemory<byte>> _items = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private long _queuedBytes;

    /// <summary>Bytes queued and not yet taken by the send loop.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Queues <paramref name="bytes"/>; false when that would exceed the limit or the queue is completed.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> bytes)
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

        if (!_items.Writer.TryWrite(bytes))
        {
            Interlocked.Add(ref _queuedBytes, -bytes.Length);
            return false;
        }

        return true;
    }

    /// <summary>No more bytes will be queued; the send loop drains what is there and ends.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Waits until something is queued; false once completed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _items.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next queued buffer, if any.</summary>
    public bool TryDequeue(out ReadOnlyMemory<byte> bytes)
    {
        if (_items.Reader.TryRead(out bytes))
        {
            Interlocked.Add(ref _queuedBytes, -bytes.Length);
            return true;
        }

        return false;
    }

    /// <summary>Peeks at the next buffer's length without taking it; 0 if none.</summary>
    public int PeekLength() => _items.Reader.TryPeek(out var next) ? next.Length : 0;
}
