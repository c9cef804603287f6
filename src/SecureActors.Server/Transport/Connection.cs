using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.Actor;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Server.Metrics;

namespace SecureActors.Server.Transport;

/*
 * One accepted socket and its two loops, outside any actor (Kestrel's SocketConnection shape):
 *
 *   receive loop  socket -> PipeReader -> magic check -> FrameReader (length checked from the
 *                 header, before the body is buffered) -> Tell(RecordsReceived): every whole record
 *                 of one read copied into one pooled buffer that the session opens in place.
 *                 It reads only while the InboundGate is open (backpressure from the session).
 *   send loop     OutboundQueue -> batches of several records -> one socket write per batch.
 *
 * Close() is graceful: the queue is completed, the send loop flushes it, shuts the sending side,
 * then drains (and discards) input until the peer's FIN or the linger time, so unread input cannot
 * turn our final close_notify into an RST. Abort() closes at once. Both are safe to call twice.
 */

/// <summary>One client connection's socket, its receive and send loops, and its bounded outbound queue.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source is cancelled, never disposed: loops may still read its token while they unwind.")]
internal sealed class Connection : IConnection
{
    private readonly Socket _socket;
    private readonly TransportSettings _settings;
    private readonly ServerMetrics? _metrics;
    private readonly OutboundQueue _outbound;
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeSpan _linger;
    private IActorRef? _owner;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private volatile bool _closing;
    private int _disposed;

    public Connection(Socket socket, TransportSettings settings, long outboundLimit, int maxUnprocessedFrames, TimeSpan linger, ServerMetrics? metrics)
    {
        _socket = socket;
        _settings = settings;
        _metrics = metrics;
        _linger = linger;
        _outbound = new OutboundQueue(outboundLimit);
        Gate = new InboundGate(maxUnprocessedFrames);
        Remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        socket.NoDelay = true;
    }

    /// <summary>The client's address and port.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Backpressure between the receive loop and the session.</summary>
    public InboundGate Gate { get; }

    /// <summary>Bytes queued and not yet written.</summary>
    public long QueuedBytes => _outbound.QueuedBytes;

    /// <summary>Completes when both loops have ended and the socket is closed.</summary>
    public Task Completion => Task.WhenAll(_receiveLoop, _sendLoop);

    /// <summary>Starts both loops; everything they observe is told to <paramref name="owner"/>.</summary>
    public void Start(IActorRef owner)
    {
        _owner = owner;
        _sendLoop = Task.Run(SendLoopAsync);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Queues a copy of the bytes for the socket; false when the outbound limit would be exceeded (a slow reader) or the connection is closing.</summary>
    public bool TrySend(ReadOnlyMemory<byte> bytes) => !_closing && _outbound.TryEnqueue(bytes.Span);

    /// <summary>Flushes what is queued, shuts the sending side, drains input briefly, then closes.</summary>
    public void Close()
    {
        if (_closing)
        {
            return;
        }

        _closing = true;
        Gate.ReleaseForever();
        _outbound.Complete();
    }

    /// <summary>Closes at once; queued bytes are discarded.</summary>
    public void Abort()
    {
        _closing = true;
        _outbound.Complete();
        Gate.ReleaseForever();
        DisposeSocket();
    }

    private async Task ReceiveLoopAsync()
    {
        var stream = new NetworkStream(_socket, ownsSocket: false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: _settings.ReceiveBuffer, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        var prologueDone = false;
        var midRecord = false;
        long unconsumed = 0;
        string reason = "peer closed the connection";
        try
        {
            while (true)
            {
                if (!_closing)
                {
                    await Gate.WaitOpenAsync().ConfigureAwait(false);
                }

                var read = await reader.ReadAsync(_abort.Token).ConfigureAwait(false);
                var buffer = read.Buffer;

                // The buffer starts with what the last read left unconsumed (half a record): count only the new bytes.
                _metrics?.BytesReceived(buffer.Length - unconsumed);
                if (_closing)
                {
                    // Draining after our close: input is discarded until the peer's FIN.
                    reader.AdvanceTo(buffer.End);
                    unconsumed = 0;
                    if (read.IsCompleted)
                    {
                        return;
                    }

                    continue;
                }

                var consumed = buffer.Start;
                var examined = buffer.End;
                var stop = false;
                if (!prologueDone)
                {
                    switch (Prologue.TryRead(buffer, out consumed, out examined))
                    {
                        case FrameReadStatus.Complete:
                            prologueDone = true;
                            buffer = buffer.Slice(consumed);
                            break;
                        case FrameReadStatus.Invalid:
                            Tell(TransportProtocol.PrologueRejected.Instance);
                            return;
                    }
                }

                if (prologueDone)
                {
                    stop = ParseFrames(ref buffer, out consumed, out examined);
                }

                unconsumed = buffer.Slice(consumed).Length;
                midRecord = unconsumed > 0;
                reader.AdvanceTo(consumed, examined);
                if (stop)
                {
                    return;
                }

                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = e is OperationCanceledException ? "connection aborted" : $"connection error: {(e.InnerException ?? e).Message}";
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        if (!_closing)
        {
            Tell(new TransportProtocol.Disconnected(midRecord, reason));
        }
    }

    /// <summary>Hands over every whole frame in <paramref name="buffer"/>, all in one message; true when the input is invalid and reading must stop.</summary>
    private bool ParseFrames(ref ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = buffer.Start;
        examined = buffer.End;
        var count = 0;
        FrameReadStatus status;
        ProtocolFailure? failure;
        while ((status = FrameReader.TryRead(buffer.Slice(consumed), out var frameEnd, out var frameExamined, out _, out failure)) == FrameReadStatus.Complete)
        {
            count++;
            consumed = frameEnd;
            examined = frameExamined;
        }

        // The records before an invalid one still reach the session first, in order.
        if (count > 0)
        {
            Gate.FramesHandedOver(count);
            Tell(TransportProtocol.RecordsReceived.CopyOf(buffer.Slice(buffer.Start, consumed), count));
        }

        if (status == FrameReadStatus.Incomplete)
        {
            examined = buffer.End;
            return false;
        }

        Tell(new TransportProtocol.FramingFailed(failure!));
        return true;
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _outbound.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                // Rented only while there is something to send, so an idle session holds no write buffer.
                var batch = ArrayPool<byte>.Shared.Rent(_settings.MaxWriteBatch);
                try
                {
                    await SendBatchAsync(batch).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }

            // Completed and flushed: half-close, then let the receive loop drain to the peer's FIN.
            _socket.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(_receiveLoop, Task.Delay(_linger, _abort.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!_closing)
            {
                Tell(new TransportProtocol.Disconnected(false, $"send failed: {e.Message}"));
            }
        }
        finally
        {
            DisposeSocket();
        }
    }

    /// <summary>Copies what is queued into <paramref name="batch"/>, up to its size, and sends it in one socket call.</summary>
    private async Task SendBatchAsync(byte[] batch)
    {
        var length = 0;
        while (_outbound.PeekLength() is var next && next > 0 && (length == 0 || length + next <= batch.Length))
        {
            _outbound.TryDequeue(out var item);
            try
            {
                if (item.Length > batch.Length - length)
                {
                    // A single buffer larger than the batch goes out on its own.
                    await SendAllAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
                    length = 0;
                    await SendAllAsync(item.Memory).ConfigureAwait(false);
                    continue;
                }

                item.Memory.CopyTo(batch.AsMemory(length));
                length += item.Length;
            }
            finally
            {
                item.Return();
            }
        }

        await SendAllAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, _abort.Token).ConfigureAwait(false);
            _metrics?.BytesSent(sent);
            bytes = bytes[sent..];
        }
    }

    private void Tell(object message) => _owner?.Tell(message, ActorRefs.NoSender);

    private void DisposeSocket()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _abort.Cancel();
        _socket.Dispose();
    }
}
