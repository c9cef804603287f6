using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Records;

namespace SecureActors.Client.Connection;

/// <summary>
/// The established transport of one client session, in Kestrel's shape: one receive loop (a
/// <see cref="PipeReader"/> over the socket, frames parsed in place and opened by the record layer)
/// and one send loop (drains every record sealed since its last write in one socket send, so a
/// pipelined burst costs one syscall).
/// </summary>
/// <remarks>
/// <para>Concurrency: <see cref="SecureChannel"/> is single-owner, and both directions touch it (the
/// receive side writes automatic KeyUpdates and alerts), so every channel call, the queue of reply
/// handlers and the pending output buffer sit under one re-entrant lock. Requests are sealed into the
/// pending buffer by the caller's thread; the send loop swaps it for an empty one under the lock and
/// writes it outside. Replies arrive in request order (SAP/1 correlation), so a FIFO queue matches
/// them; the channel has already rejected any reply whose id is out of order.</para>
/// <para>Ending: <see cref="Terminate"/> runs once, records why, fails the outstanding requests,
/// stops both loops, and the last loop out releases the socket and the key material.</para>
/// <para>Per-message signatures (when negotiated): requests are signed and replies and pushes checked
/// under the same lock, so counters follow the wire order in both directions. A message that fails
/// its check is never delivered: the alert goes out and the session ends with a
/// <see cref="MessageSignatureException"/>.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The loops release the socket and buffers when they end; Abort ends them.")]
internal sealed class ClientConnection
{
    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly SecureChannel _channel;
    private readonly Queue<PendingReply> _pending = new();
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly Channel<ReadOnlyMemory<byte>> _pushes;
    private readonly CancellationTokenSource _abort = new();
    private readonly IReadOnlyList<Frame> _bufferedFrames;
    private readonly ClientMessageSignatures? _signatures;
    private PooledBufferWriter _pendingOut = new();
    private PooledBufferWriter _sendingOut = new();
    private Exception? _terminal;
    private bool _cleanClose;
    private bool _closeRequested;
    private TaskCompletionSource? _drained;
    private long _droppedPushes;
    private long _receivedAt;
    private bool _inReceive;
    private long _bytesSent;
    private long _bytesReceived;

    public ClientConnection(Socket socket, PipeReader reader, SecureChannel channel, IReadOnlyList<Frame> bufferedFrames, int pushCapacity, ClientMessageSignatures? signatures = null)
    {
        _socket = socket;
        _reader = reader;
        _channel = channel;

        // With batching negotiated, the requests sent between two flushes share records (PROTOCOL.md §8.7).
        _channel.BeginBatch();
        _bufferedFrames = bufferedFrames;
        _signatures = signatures;
        _pushes = Channel.CreateBounded<ReadOnlyMemory<byte>>(
            new BoundedChannelOptions(Math.Max(1, pushCapacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref _droppedPushes));
        Completion = Task.CompletedTask;
    }

    /// <summary>Completes (never faults) when both loops have ended and the socket is released.</summary>
    public Task Completion { get; private set; }

    public ChannelReader<ReadOnlyMemory<byte>> Pushes => _pushes.Reader;

    public long DroppedPushes => Interlocked.Read(ref _droppedPushes);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>The largest request payload the server accepts: its maximum, less the signature block when requests are signed.</summary>
    public int MaxRequestSize => _channel.PeerMaxMessageSize - (_signatures?.BlockLength ?? 0);

    /// <summary>Whether per-message signatures are in use on this session.</summary>
    public bool MessageSignatures => _signatures is not null;

    public bool MessageBatching => _channel.MessageBatching;

    /// <summary>Why the session ended, once it has; null while it runs.</summary>
    public Exception? TerminalError
    {
        get
        {
            lock (_gate)
            {
                return _terminal;
            }
        }
    }

    /// <summary>True when the session ended with close_notify both ways.</summary>
    public bool ClosedCleanly
    {
        get
        {
            lock (_gate)
            {
                return _cleanClose;
            }
        }
    }

    public int OutstandingRequests
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Start() => Completion = RunAsync();

    /// <summary>
    /// Seals a request into the next batch. Returns false when the session no longer accepts requests
    /// (closing, closed or failed: see <see cref="TerminalError"/>). Throws <see cref="ArgumentException"/>
    /// for a payload above the server's announced maximum.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> payload, IReplyHandler handler, long token)
    {
        lock (_gate)
        {
            if (_terminal is not null || _closeRequested || !(_signatures is not { SignsRequests: true } ? _channel.TryWriteRequest(payload, _pendingOut, out _) : TryWriteSignedRequest(payload)))
            {
                return false;
            }

            _pending.Enqueue(new PendingReply(handler, token));
            if (_inReceive)
            {
                // Sent from a reply handler: the receive loop rings once after the whole read.
                return true;
            }
        }

        _doorbell.Writer.TryWrite(true);
        return true;
    }

    private bool TryWriteSignedRequest(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxRequestSize)
        {
            // Checked before signing, and in application bytes: the block is the library's business.
            throw new ArgumentException($"request of {payload.Length} bytes exceeds the server's maximum of {MaxRequestSize} (its {_channel.PeerMaxMessageSize} less the {_signatures!.BlockLength}-byte signature block)", nameof(payload));
        }

        return _channel.TryWriteRequest(_signatures!.Sign(payload), _pendingOut, out _, signed: true);
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the connection lock, where reply handlers also run, so a
    /// caller can keep per-session state consistent with them without a second lock (no lock-order risk).
    /// </summary>
    public void RunExclusive(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    /// <summary>
    /// The <c>EXIT</c> command: waits (up to <paramref name="timeout"/>) for outstanding replies, sends
    /// close_notify, then waits for the server's close_notify. Throws when the session did not end
    /// cleanly (it had failed before, the server cut the connection, or the deadline passed).
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Task.Delay(timeout, cancellationToken);
        Task drained;
        lock (_gate)
        {
            if (_terminal is not null)
            {
                drained = Task.CompletedTask;
            }
            else if (_pending.Count > 0)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
            else
            {
                drained = Task.CompletedTask;
            }
        }

        await Task.WhenAny(drained, deadline).ConfigureAwait(false);
        lock (_gate)
        {
            if (_terminal is null && !_closeRequested)
            {
                _closeRequested = true;
                _channel.TryWriteClose(_pendingOut);
            }
        }

        _doorbell.Writer.TryWrite(true);
        if (await Task.WhenAny(Completion, deadline).ConfigureAwait(false) != Completion)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var timedOut = new SecureClientTimeoutException("close", timeout);
            Abort(timedOut);
            await Completion.ConfigureAwait(false);
            throw timedOut;
        }

        lock (_gate)
        {
            if (!_cleanClose)
            {
                throw _terminal!;
            }
        }
    }

    /// <summary>Ends the session now without close_notify (dispose, timeouts). Safe to call repeatedly.</summary>
    public void Abort(Exception reason)
    {
        Terminate(reason, clean: false);
        _abort.Cancel();
    }

    private async Task RunAsync()
    {
        var send = Task.Run(SendLoopAsync);
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportError(ex))
        {
            Terminate(new SecureClientConnectionException("the connection failed: " + ex.Message, ex), clean: false);
        }

        await send.ConfigureAwait(false);
        ReleaseTransport();
    }

    private async Task ReceiveLoopAsync()
    {
        if (_bufferedFrames.Count > 0)
        {
            ProcessBufferedFrames();
        }

        while (!IsTerminated())
        {
            var result = await _reader.ReadAsync(_abort.Token).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                break;
            }

            var buffer = result.Buffer;
            var available = buffer.Length;
            ProcessFrames(ref buffer);
            Interlocked.Add(ref _bytesReceived, available - buffer.Length);
            if (result.IsCompleted && !IsTerminated())
            {
                Terminate(new SecureClientConnectionException(buffer.IsEmpty
                    ? "the server closed the connection without close_notify (truncated)"
                    : "the server closed the connection in the middle of a record (truncated)"), clean: false);
            }

            // A partial frame stays in the pipe; everything up to the end has been looked at.
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private void ProcessBufferedFrames()
    {
        lock (_gate)
        {
            BeginReceive();
            try
            {
                foreach (var frame in _bufferedFrames)
                {
                    if (!HandleFrame(frame))
                    {
                        break;
                    }
                }
            }
            finally
            {
                _inReceive = false;
            }
        }

        AfterReceive();
    }

    /// <summary>Under the lock, before a read's frames are handled.</summary>
    private void BeginReceive()
    {
        _receivedAt = Stopwatch.GetTimestamp();
        _inReceive = true;
    }

    /// <summary>Parses and handles every whole frame in <paramref name="buffer"/>; leaves it at the first unparsed byte.</summary>
    private void ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        lock (_gate)
        {
            BeginReceive();
            try
            {
                while (_terminal is null)
                {
                    var status = FrameReader.TryRead(buffer, out var consumed, out _, out var frame, out var failure);
                    if (status == FrameReadStatus.Incomplete)
                    {
                        break;
                    }

                    if (status == FrameReadStatus.Invalid)
                    {
                        _channel.TryWriteAlert(failure!.Alert, _pendingOut);
                        TerminateLocked(SecureClientException.FromFailure(failure, "the server sent an invalid record"), clean: false);
                        break;
                    }

                    var keepGoing = HandleFrame(frame);
                    buffer = buffer.Slice(consumed);
                    if (!keepGoing)
                    {
                        break;
                    }
                }
            }
            finally
            {
                _inReceive = false;
            }
        }

        AfterReceive();
    }

    /// <summary>Handles one frame under the lock, every message it carries (batching, PROTOCOL.md §8.7); false once the session has ended.</summary>
    private bool HandleFrame(in Frame frame)
    {
        foreach (var received in _channel.ReceiveAll(frame, _pendingOut))
        {
            if (!HandleEvent(received))
            {
                return false;
            }
        }

        return true;
    }

    private bool HandleEvent(in ChannelEvent received)
    {
        switch (received.Kind)
        {
            case ChannelEventKind.Message when received.MessageKind == MessageKind.Reply:
            {
                var payload = received.Payload;
                if (_signatures is not null)
                {
                    if (!TryCheckSigned(received.MessageKind, received.Id, received.Signed, payload, out var application))
                    {
                        return false;
                    }

                    payload = application;
                }

                var pending = _pending.Dequeue();
                pending.Handler.OnReply(payload, pending.Token, _receivedAt);
                if (_pending.Count == 0)
                {
                    _drained?.TrySetResult();
                }

                return true;
            }

            case ChannelEventKind.Message when _signatures is not null:
                if (!TryCheckSigned(received.MessageKind, received.Id, received.Signed, received.Payload, out var pushed))
                {
                    return false;
                }

                _pushes.Writer.TryWrite(pushed);
                return true;

            case ChannelEventKind.Message:
                _pushes.Writer.TryWrite(received.Payload.ToArray());
                return true;

            case ChannelEventKind.Closed:
                if (_closeRequested)
                {
                    TerminateLocked(new SecureClientException("the session was closed", AlertDescription.CloseNotify, receivedFromServer: false), clean: true);
                }
                else
                {
                    // The server ended the session: answer close_notify as TLS does, and end cleanly.
                    _channel.TryWriteClose(_pendingOut);
                    TerminateLocked(new SecureClientException("the server closed the session", AlertDescription.CloseNotify, receivedFromServer: true), clean: true);
                }

                return false;

            case ChannelEventKind.Failed:
                TerminateLocked(SecureClientException.FromFailure(received.Failure!, received.Failure!.ReceivedFromPeer ? "the server ended the session" : "the session failed"), clean: false);
                return false;

            default:
                return true;
        }
    }

    /// <summary>§12's checks on a server message, under the lock; on failure sends the alert and ends the session.</summary>
    private bool TryCheckSigned(MessageKind kind, ulong id, bool signed, ReadOnlySpan<byte> payload, out byte[] application)
    {
        var failure = _signatures!.Check(kind, id, signed, payload, out application);
        if (failure is null)
        {
            return true;
        }

        _channel.TryWriteAlert(failure.Alert, _pendingOut);
        TerminateLocked(new MessageSignatureException($"a message from the server failed its signature check: {failure}", failure.Alert), clean: false);
        return false;
    }

    private void AfterReceive()
    {
        // Automatic answers (KeyUpdate, alerts, our close_notify) and requests sent from reply handlers.
        _doorbell.Writer.TryWrite(true);
        FailAbandoned();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _doorbell.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                _doorbell.Reader.TryRead(out _);
                await FlushAsync().ConfigureAwait(false);
            }

            // Termination completes the doorbell; the final alert or close_notify may still be pending.
            await FlushAsync().ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (IsTransportError(ex))
        {
            Abort(new SecureClientConnectionException("sending failed: " + ex.Message, ex));
        }
    }

    private async Task FlushAsync()
    {
        lock (_gate)
        {
            if (!_channel.IsSendClosed)
            {
                _channel.FlushBatch(_pendingOut);
            }

            if (_pendingOut.WrittenCount == 0)
            {
                return;
            }

            (_pendingOut, _sendingOut) = (_sendingOut, _pendingOut);
        }

        var remaining = _sendingOut.WrittenMemory;
        Interlocked.Add(ref _bytesSent, remaining.Length);
        while (!remaining.IsEmpty)
        {
            var sent = await _socket.SendAsync(remaining, SocketFlags.None, _abort.Token).ConfigureAwait(false);
            remaining = remaining[sent..];
        }

        _sendingOut.Reset();
    }

    private bool IsTerminated()
    {
        lock (_gate)
        {
            return _terminal is not null;
        }
    }

    private void Terminate(Exception reason, bool clean)
    {
        lock (_gate)
        {
            TerminateLocked(reason, clean);
        }

        FailAbandoned();
    }

    private List<PendingReply>? _abandoned;

    private void TerminateLocked(Exception reason, bool clean)
    {
        if (_terminal is not null)
        {
            return;
        }

        _terminal = reason;
        _cleanClose = clean;
        if (_pending.Count > 0)
        {
            _abandoned = [.. _pending];
            _pending.Clear();
        }

        _drained?.TrySetResult();
        _pushes.Writer.TryComplete();
        _doorbell.Writer.TryComplete();
        _reader.CancelPendingRead();
    }

    /// <summary>Tells handlers of requests that will never be answered, outside the lock.</summary>
    private void FailAbandoned()
    {
        List<PendingReply>? abandoned;
        Exception? reason;
        lock (_gate)
        {
            abandoned = _abandoned;
            _abandoned = null;
            reason = _terminal;
        }

        if (abandoned is null)
        {
            return;
        }

        var error = reason as SecureClientException is { Alert: AlertDescription.CloseNotify }
            ? new SecureClientConnectionException("the session ended before the reply arrived: " + reason!.Message, reason)
            : reason!;
        foreach (var pending in abandoned)
        {
            pending.Handler.OnFailed(error, pending.Token);
        }
    }

    private void ReleaseTransport()
    {
        _abort.Cancel();
        _reader.Complete();
        _socket.Dispose();
        lock (_gate)
        {
            _channel.Dispose();
            _signatures?.Dispose();
            _pendingOut.Dispose();
            _sendingOut.Dispose();
        }
    }

    private static bool IsTransportError(Exception ex) =>
        ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException;

    private readonly record struct PendingReply(IReplyHandler Handler, long Token);
}
