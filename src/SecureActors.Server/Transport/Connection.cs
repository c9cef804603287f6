using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.Actor;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Server.Metrics;

namespace SecureActors.Server.Transport;

/*
 * One accepted socket, outside any actor (Kestrel's SocketConnection shape, with the send side
 * written inline):
 *
 *   receive loop  wait for readability with a zero-byte receive (an idle connection holds no buffer)
 *                 -> read into a pooled buffer -> magic check -> FrameReader (length checked from
 *                 the header, before the body is buffered) -> Tell(RecordsReceived): every whole
 *                 record of one read copied into one pooled buffer that the session opens in place.
 *                 It reads only while the InboundGate is open (backpressure from the session).
 *   send side     TrySend writes straight from the session's buffer with a non-blocking send when
 *                 nobody else is sending: the common case is one system call on the session's own
 *                 thread, no copy and no queue. What the socket does not take at once is copied to
 *                 the OutboundQueue and finished by an asynchronous drain, which also batches
 *                 whatever was queued behind it into one socket call.
 *
 * The socket is non-blocking (Socket.Blocking = false) so that a synchronous send can never stall
 * the session's thread; asynchronous operations work the same either way.
 *
 * Close() is graceful: the queue is completed, whoever holds the send side finishes it, shuts the
 * sending side, then input is drained (and discarded) until the peer's FIN or the linger time, so
 * unread input cannot turn our final close_notify into an RST. Abort() closes at once. Both are safe
 * to call twice. Pending operations end by disposing the socket; no cancellation token is kept per
 * connection.
 */

/// <summary>One client connection's socket, its receive loop, its inline send side and its bounded outbound queue.</summary>
internal sealed class Connection : IConnection
{
    private readonly Socket _socket;
    private readonly TransportSettings _settings;
    private readonly ServerMetrics? _metrics;
    private readonly OutboundQueue _outbound;
    private readonly TimeSpan _linger;
    private readonly TransportProtocol.RecordsReceived.Spare _spareRecordsMessage = new();
    private IActorRef? _owner;
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _closing;
    private volatile bool _sendFailed;
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
        socket.Blocking = false;
    }

    /// <summary>The client's address and port.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Backpressure between the receive loop and the session.</summary>
    public InboundGate Gate { get; }

    /// <summary>Bytes queued and not yet written.</summary>
    public long QueuedBytes => _outbound.QueuedBytes;

    /// <summary>Starts the receive loop; everything the connection observes is told to <paramref name="owner"/>.</summary>
    public void Start(IActorRef owner)
    {
        _owner = owner;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>
    /// Sends the bytes, or queues a copy behind a send in progress; false when the outbound limit
    /// would be exceeded (a slow reader) or the connection is closing. The caller may reuse its
    /// buffer as soon as this returns.
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> bytes)
    {
        if (_sendFailed)
        {
            // The socket failed and the session has been told (Disconnected): not a slow reader.
            return true;
        }

        if (_closing)
        {
            return false;
        }

        if (bytes.IsEmpty)
        {
            return true;
        }

        switch (_outbound.TryEnqueueOrTakeTurn(bytes.Span))
        {
            case SendTurn.Refused:
                return _sendFailed;
            case SendTurn.Queued:
                return true;
        }

        var sent = SendNow(bytes.Span, out var error);
        if (error is not null)
        {
            OnSendFailed(error);
            return true;
        }

        if (sent < bytes.Length)
        {
            // The socket's buffer is full: the rest goes out when the client reads.
            _outbound.RequeueUnsent(bytes.Span[sent..]);
            _ = DrainAsync();
            return true;
        }

        EndTurn();
        return true;
    }

    /// <summary>Flushes what is queued, shuts the sending side, drains input briefly, then closes.</summary>
    public void Close()
    {
        if (_closing)
        {
            return;
        }

        _closing = true;
        Gate.ReleaseForever();
        if (_outbound.Complete())
        {
            _ = ShutdownAndLingerAsync();
        }
    }

    /// <summary>Closes at once; queued bytes are discarded.</summary>
    public void Abort()
    {
        _closing = true;
        _outbound.Discard();
        Gate.ReleaseForever();
        DisposeSocket();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        var filled = 0;
        var prologueDone = false;
        var anyReceived = false;
        string reason = "peer closed the connection";
        try
        {
            while (true)
            {
                if (!_closing)
                {
                    await Gate.WaitOpenAsync().ConfigureAwait(false);
                }

                if (filled == 0)
                {
                    // Nothing half-read: wait for readability without holding a buffer.
                    ReturnBuffer(ref buffer);
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(_settings.ReceiveBuffer);
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                _metrics?.BytesReceived(read);
                anyReceived = true;
                filled += read;
                if (_closing)
                {
                    // Draining after our close: input is discarded until the peer's FIN.
                    filled = 0;
                    continue;
                }

                var consumed = 0;
                if (!prologueDone)
                {
                    switch (Prologue.TryRead(new ReadOnlySequence<byte>(buffer, 0, filled), out _, out _))
                    {
                        case FrameReadStatus.Complete:
                            prologueDone = true;
                            consumed = Prologue.Length;
                            break;
                        case FrameReadStatus.Invalid:
                            Tell(TransportProtocol.PrologueRejected.Instance);
                            return;
                    }
                }

                if (prologueDone && !HandOverFrames(buffer, ref consumed, filled))
                {
                    return;
                }

                filled -= consumed;
                if (filled > 0)
                {
                    // Half a record: move it to the front, and make room for the whole record if it is larger than the buffer.
                    buffer = KeepUnconsumed(buffer, consumed, filled, atRecord: prologueDone);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reason = _closing ? "connection closed" : $"connection error: {(e is SocketException socket ? socket.Message : (e.InnerException ?? e).Message)}";
        }
        finally
        {
            ReturnBuffer(ref buffer);
        }

        if (!_closing)
        {
            Tell(new TransportProtocol.Disconnected(filled > 0, reason, NothingReceived: !anyReceived));
        }
    }

    /// <summary>Hands over every whole frame in <c>buffer[consumed..filled]</c>, all in one message; false when the input is invalid and reading must stop.</summary>
    private bool HandOverFrames(byte[] buffer, ref int consumed, int filled)
    {
        var input = new ReadOnlySequence<byte>(buffer, consumed, filled - consumed);
        var end = input.Start;
        var count = 0;
        FrameReadStatus status;
        ProtocolFailure? failure;
        while ((status = FrameReader.TryRead(input.Slice(end), out var frameEnd, out _, out _, out failure)) == FrameReadStatus.Complete)
        {
            count++;
            end = frameEnd;
        }

        // The records before an invalid one still reach the session first, in order.
        if (count > 0)
        {
            var records = input.Slice(input.Start, end);
            Gate.FramesHandedOver(count);
            Tell(TransportProtocol.RecordsReceived.CopyOf(records, count, _spareRecordsMessage));
            consumed += (int)records.Length;
        }

        if (status == FrameReadStatus.Incomplete)
        {
            return true;
        }

        Tell(new TransportProtocol.FramingFailed(failure!));
        return false;
    }

    private static byte[] KeepUnconsumed(byte[] buffer, int consumed, int remaining, bool atRecord)
    {
        var needed = remaining;
        if (atRecord && remaining >= FrameLimits.HeaderLength)
        {
            // The frame reader has already checked this length against its cap.
            needed = FrameLimits.HeaderLength + System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(consumed + 1));
        }

        var target = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
        buffer.AsSpan(consumed, remaining).CopyTo(target);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return target;
    }

    private static void ReturnBuffer(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            // Received bytes are ciphertext (or handshake records); nothing secret to clear.
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    /// <summary>Writes as much as the socket takes now without waiting; the count sent, or an error.</summary>
    private int SendNow(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        var total = 0;
        try
        {
            while (total < bytes.Length)
            {
                var sent = _socket.Send(bytes[total..], SocketFlags.None, out var status);
                if (status == SocketError.WouldBlock)
                {
                    break;
                }

                if (status != SocketError.Success)
                {
                    error = new SocketException((int)status).Message;
                    break;
                }

                total += sent;
            }
        }
        catch (ObjectDisposedException)
        {
            error = "connection closed";
        }

        _metrics?.BytesSent(total);
        return total;
    }

    /// <summary>Ends the send side's turn; finishes what was queued meanwhile, or shuts down if the connection closed.</summary>
    private void EndTurn()
    {
        switch (_outbound.TryEndTurn())
        {
            case TurnEnd.MoreQueued:
                _ = DrainAsync();
                break;
            case TurnEnd.IdleAndCompleted:
                _ = ShutdownAndLingerAsync();
                break;
        }
    }

    /// <summary>Owns the send side until the queue is empty: writes queued buffers, several per socket call.</summary>
    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                if (_outbound.PeekLength() > 0)
                {
                    // Rented only while there is something to send, so an idle connection holds no write buffer.
                    var batch = ArrayPool<byte>.Shared.Rent(_settings.MaxWriteBatch);
                    try
                    {
                        await SendBatchAsync(batch).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                    }

                    continue;
                }

                var end = _outbound.TryEndTurn();
                if (end == TurnEnd.MoreQueued)
                {
                    continue;
                }

                if (end == TurnEnd.IdleAndCompleted)
                {
                    await ShutdownAndLingerAsync().ConfigureAwait(false);
                }

                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            OnSendFailed(e.Message);
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
            var sent = await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            _metrics?.BytesSent(sent);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Everything is sent: half-close, let the receive loop drain to the peer's FIN (or the linger time), then close.</summary>
    private async Task ShutdownAndLingerAsync()
    {
        // Made only at close, so that the linger timer goes as soon as the peer's FIN arrives.
        using var lingerOver = new CancellationTokenSource();
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(_receiveLoop, Task.Delay(_linger, lingerOver.Token)).ConfigureAwait(false);
            await lingerOver.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or aborted: nothing left to say to the peer.
        }
        finally
        {
            DisposeSocket();
        }
    }

    private void OnSendFailed(string reason)
    {
        _sendFailed = true;
        if (!_closing)
        {
            Tell(new TransportProtocol.Disconnected(false, $"send failed: {reason}"));
        }

        _outbound.Discard();
        DisposeSocket();
    }

    private void Tell(object message) => _owner?.Tell(message, ActorRefs.NoSender);

    private void DisposeSocket()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _socket.Dispose();
    }
}
