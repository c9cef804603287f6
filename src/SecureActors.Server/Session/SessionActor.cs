using System.Buffers;
using System.Diagnostics;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Server.Crypto;
using SecureActors.Server.Handler;
using SecureActors.Server.Metrics;
using SecureActors.Server.Transport;

namespace SecureActors.Server.Session;

/*
 * One connection's protocol state, driven by messages only (the socket loops live in Connection):
 *
 *   AwaitingHello ──frame──► Negotiating (crypto in flight) ──result──► AwaitingClientFinished
 *        ▲                        │  ▲                                    │ (client identity/signature
 *        └────── HRR ─────────────┘  └────────── verify ──────────────────┘  sends it back to Negotiating)
 *   AwaitingClientFinished ──Finished──► Established ──EXIT / shutdown / idle──► Closing ──► stop
 *
 * Timers: handshake deadline (accept → verified Finished), crypto-reply deadline (a request lost to
 * a worker restart fails the handshake cleanly), idle timeout, drain and close-notify waits.
 * Replies leave in request order (ReplySequencer); while max-in-flight requests are unanswered the
 * receive loop is held (backpressure); an outbound queue over its limit drops the client.
 * With per-message signatures negotiated (PROTOCOL.md §12) requests are verified and replies and
 * pushes signed on the crypto pool, kept in order by SignedTraffic; the crypto-reply deadline then
 * watches the oldest message operation. Without them that path costs one null check per message.
 * Key material lives only in the handshake machine and the channel, both disposed (zeroed) in PostStop.
 */

/// <summary>The actor that owns one client connection: its handshake, record layer and timers.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it owns in PostStop (zeroing key material), not through IDisposable.")]
internal sealed class SessionActor : ReceiveActor, IWithTimers
{
    private const string HandshakeTimer = "handshake";
    private const string CryptoTimer = "crypto";
    private const string IdleTimer = "idle";
    private const string CloseTimer = "close";

    private readonly long _number;
    private readonly IConnection _connection;
    private readonly SessionContext _context;
    private readonly SessionSettings _settings;
    private readonly ServerMetrics? _metrics;
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly ArrayBufferWriter<byte> _reply = new(64);
    private readonly ReplySequencer _sequencer = new();
    private Dictionary<ulong, long>? _receivedAt;
    private readonly long _acceptedAt = Stopwatch.GetTimestamp();
    private ServerHandshake? _handshake;
    private SecureChannel? _channel;
    private HandshakeResult? _result;
    private SignedTraffic? _signatures;
    private long _nextCorrelation;
    private long _awaitedCorrelation = -1;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private bool _held;
    private bool _flushScheduled;
    private bool _takingRequests = true;
    private bool _closeNotifySent;
    private bool _peerClosed;
    private ProtocolFailure? _framingFailureBehindQueuedRecords;
    private bool _finished;
    private bool _handlerGone;
    private bool _replacedByRestart;
    private TimeSpan? _shutdownAfterHandshake;
    private string _state = nameof(AwaitingHello);

    public SessionActor(long number, IConnection connection, SessionContext context)
    {
        _number = number;
        _connection = connection;
        _context = context;
        _settings = context.Settings;
        _metrics = context.Metrics;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The session's logger. Its context properties are attached when a line is written, and only
    /// if that line's level is on: sessions log a few lines in their life, a logger kept per session
    /// would cost more memory than making one per line costs time, and the Debug lines of a
    /// production server cost nothing but the level check.
    /// </summary>
    private ILoggingAdapter Log => new PropertiesOnWrite(Context.GetLogger(), this);

    private ILoggingAdapter WithSessionProperties(ILoggingAdapter logger) => logger.ForContext(
    [
        new("SessionId", _number),
        new("Remote", _connection.Remote.ToString()),
        new("Fingerprint", _result?.Peer?.Fingerprint),
        new("Suite", _result?.Suite.ToString()),
    ]);

    public static Props Props(long number, IConnection connection, SessionContext context) =>
        Actors.Actor.Props.Create(() => new SessionActor(number, connection, context));

    protected override void PreStart()
    {
        // The states are built here rather than in the constructor: a ReceiveActor keeps its
        // constructor's handlers for good (the bottom of the behaviour stack), and a server holds
        // thousands of sessions, each of which would carry a second, unused set.
        Become(AwaitingHello);
        _metrics?.SessionOpened();
        _handshake = new ServerHandshake(_context.Protocol, _context.Identity, _context.Authorizer, _connection.Remote.Address);
        if (_context.Handler is { } handler)
        {
            Context.Watch(handler);
        }
        Timers.StartSingleTimer(HandshakeTimer, SessionProtocol.HandshakeTimedOut.Instance, _settings.HandshakeTimeout);
        _connection.Start(Self);
    }

    protected override void PostRestart(Exception reason)
    {
        // A session cannot be rebuilt: its keys and record state died with the old instance, whose
        // PostStop already told the client (internal_error) and closed the connection. Its own
        // failures stop it (listener supervision), so only a restarting parent gets here; starting
        // the socket loops a second time would corrupt the stream, so this instance just stops.
        _replacedByRestart = true;
        _finished = true;
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        if (_replacedByRestart)
        {
            return;
        }

        if (!_finished)
        {
            // Stopped by a failure or by the listener: the client gets internal_error, not silence.
            if (_channel is not null && !_channel.IsSendClosed && _channel.TryWriteAlert(AlertDescription.InternalError, _output))
            {
                Flush();
            }

            _connection.Close();
        }

        _metrics?.SessionClosed(_result is not null);
        _handshake?.Dispose();
        _channel?.Dispose();
        _handshake = null;
        _channel = null;
    }

    // ------------------------------------------------------------------ states

    private void AwaitingHello()
    {
        _state = nameof(AwaitingHello);
        HandshakeCommon();
    }

    private void Negotiating()
    {
        _state = nameof(Negotiating);
        Receive<CryptoProtocol.Executed>(OnCryptoExecuted);
        Receive<SessionProtocol.CryptoTimedOut>(OnCryptoTimedOut);
        HandshakeCommon();
    }

    private void AwaitingClientFinished()
    {
        _state = nameof(AwaitingClientFinished);
        HandshakeCommon();
    }

    private void HandshakeCommon()
    {
        Receive<TransportProtocol.RecordsReceived>(OnRecordsReceived);
        Receive<SessionProtocol.HandshakeTimedOut>(_ => OnHandshakeDeadline());
        Receive<CryptoProtocol.Executed>(OnStaleCryptoResult);
        Receive<SessionProtocol.CryptoTimedOut>(_ => { });
        Receive<SessionProtocol.Shutdown>(EndHandshakeForShutdown);
        TransportCommon();
    }

    private void Established()
    {
        _state = nameof(Established);
        Receive<TransportProtocol.RecordsReceived>(OnRecordsReceived);
        Receive<HandlerProtocol.Replied>(OnReplied);
        Receive<SessionProtocol.FlushOutput>(_ => OnFlushOutput());
        Receive<HandlerProtocol.Failed>(OnHandlerFailed);
        Receive<HandlerProtocol.Push>(OnPush);
        Receive<SessionProtocol.IdleCheck>(_ => OnIdleCheck());
        Receive<SessionProtocol.Shutdown>(shutdown => StartClosing(shutdown.Drain, "server shutting down"));
        Receive<CryptoProtocol.Executed>(OnStaleCryptoResult);
        Receive<SessionProtocol.HandshakeTimedOut>(_ => { });
        MessageSignatureCommon();
        TransportCommon();
    }

    private void Closing()
    {
        _state = nameof(Closing);
        Receive<TransportProtocol.RecordsReceived>(OnRecordsReceived);
        Receive<HandlerProtocol.Replied>(OnReplied);
        Receive<SessionProtocol.FlushOutput>(_ => OnFlushOutput());
        Receive<HandlerProtocol.Failed>(OnHandlerFailed);
        Receive<HandlerProtocol.Push>(_ => { });
        Receive<SessionProtocol.CloseTimedOut>(_ => OnCloseTimedOut());
        Receive<SessionProtocol.Shutdown>(_ => { });
        Receive<SessionProtocol.IdleCheck>(_ => { });
        Receive<CryptoProtocol.Executed>(OnStaleCryptoResult);
        Receive<SessionProtocol.HandshakeTimedOut>(_ => { });
        MessageSignatureCommon();
        TransportCommon();
    }

    private void MessageSignatureCommon()
    {
        Receive<CryptoProtocol.MessageVerified>(OnMessageVerified);
        Receive<CryptoProtocol.MessageSigned>(OnMessageSigned);
        Receive<CryptoProtocol.MessageCryptoFailed>(OnMessageCryptoFailed);
        Receive<SessionProtocol.CryptoTimedOut>(OnMessageCryptoTimedOut);
    }

    private void TransportCommon()
    {
        Receive<TransportProtocol.FramingFailed>(failed => OnFramingFailed(failed.Failure));
        Receive<TransportProtocol.PrologueRejected>(_ =>
        {
            _metrics?.HandshakeFailed(AlertDescription.UnexpectedMessage);
            Log.Warning("session {SessionId} from {Remote} does not speak SAP/1; closed", _number, _connection.Remote.ToString());
            Abort();
        });
        Receive<TransportProtocol.Disconnected>(OnDisconnected);
        Receive<Terminated>(terminated => ReferenceEquals(terminated.ActorRef, _context.Handler), _ => OnHandlerGone());
    }

    /// <summary>
    /// The bytes after the last whole record do not frame. That comes after every record before it, so it is judged
    /// after them: bytes after the client's close_notify are dropped unread (PROTOCOL.md §8.6), malformed or not, and
    /// while the handshake waits for crypto the records before the failure are still queued in the machine.
    /// </summary>
    private void OnFramingFailed(ProtocolFailure failure)
    {
        if (_peerClosed)
        {
            Log.Debug("session {SessionId}: dropping what followed the client's close_notify ({Reason})", _number, failure.Reason);
            return;
        }

        if (_awaitedCorrelation != -1)
        {
            _framingFailureBehindQueuedRecords = failure;
            return;
        }

        if (_channel is null)
        {
            FailHandshake(failure, sendAlert: true);
        }
        else
        {
            SendAlertAndFinish(failure);
        }
    }

    // ------------------------------------------------------------------ handshake

    /// <summary>
    /// One socket read's records, in order: handshake records feed the machine until it completes,
    /// the rest go through the record layer, opened in place in the read's buffer. Replies sealed on
    /// the way leave in one socket write at the end.
    /// </summary>
    private void OnRecordsReceived(TransportProtocol.RecordsReceived received)
    {
        // With batching negotiated, the replies to this read share records (PROTOCOL.md §8.7).
        _channel?.BeginBatch();
        try
        {
            var offset = 0;
            while (!_finished && received.TryTakeNext(ref offset, out var record))
            {
                if (_channel is null)
                {
                    // The machine copies what it keeps (Frame's contract), so a slice of the read is enough.
                    OnStep(_handshake!.Feed(Frame.Create((RecordType)record.Span[0], record[FrameLimits.HeaderLength..])));
                    continue;
                }

                foreach (var channelEvent in _channel.ReceiveAll(record.Span, _output))
                {
                    OnChannelEvent(channelEvent);
                    if (_finished)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            _connection.Gate.FramesHandled(received.Count);
            received.Release();
        }

        if (!_finished)
        {
            // Flush seals what the batch collected (and reports a failure to); ending the batch then
            // only gives its buffer back, so replies made later by other messages go out one by one.
            Flush();
            _channel?.EndBatch(_output);
        }
    }

    private void OnCryptoExecuted(CryptoProtocol.Executed executed)
    {
        if (executed.CorrelationId != _awaitedCorrelation)
        {
            OnStaleCryptoResult(executed);
            return;
        }

        _awaitedCorrelation = -1;
        Timers.Cancel(CryptoTimer);
        OnStep(_handshake!.Complete(executed.Result));
        // Judged again now: if the step asked for more crypto, OnFramingFailed holds it once more.
        if (_framingFailureBehindQueuedRecords is { } held && !_finished)
        {
            _framingFailureBehindQueuedRecords = null;
            OnFramingFailed(held);
        }
    }

    private void OnStaleCryptoResult(CryptoProtocol.Executed executed)
    {
        // A result after its deadline (the handshake already failed) or of an abandoned request.
        Log.Debug("session {SessionId}: ignoring late crypto result {CorrelationId}", _number, executed.CorrelationId);
    }

    private void OnCryptoTimedOut(SessionProtocol.CryptoTimedOut timedOut)
    {
        if (timedOut.CorrelationId == _awaitedCorrelation)
        {
            FailHandshake(new ProtocolFailure(AlertDescription.InternalError, "crypto worker reply deadline passed (request lost)"), sendAlert: true);
        }
    }

    private void OnStep(HandshakeStep step)
    {
        Send(step.Output);
        switch (step.Status)
        {
            case HandshakeStatus.AwaitingCrypto:
                if (step.Operation is { } operation)
                {
                    var correlation = ++_nextCorrelation;
                    _awaitedCorrelation = correlation;
                    _metrics?.CryptoQueued();
                    _context.Crypto.Tell(new CryptoProtocol.Execute(correlation, operation), Self);
                    Timers.StartSingleTimer(CryptoTimer, new SessionProtocol.CryptoTimedOut(correlation), _settings.CryptoTimeout);
                }

                if (_state != nameof(Negotiating))
                {
                    Become(Negotiating);
                }

                break;
            case HandshakeStatus.NeedInput:
                var next = _handshake!.StateName == "AwaitingClientHello" ? nameof(AwaitingHello) : nameof(AwaitingClientFinished);
                if (_state != next)
                {
                    Become(next == nameof(AwaitingHello) ? (Action)AwaitingHello : AwaitingClientFinished);
                }

                break;
            case HandshakeStatus.Complete:
                OnHandshakeComplete(step.Result!);
                break;
            default:
                FailHandshake(step.Failure!, sendAlert: false);
                break;
        }
    }

    private void OnHandshakeComplete(HandshakeResult result)
    {
        _result = result;
        _channel = result.Channel;
        _handshake!.Dispose();
        _handshake = null;
        Timers.Cancel(HandshakeTimer);
        var fingerprint = result.Peer?.Fingerprint;
        _metrics?.HandshakeCompleted(Stopwatch.GetElapsedTime(_acceptedAt));
        Log.ForContext("Marker", "[+]").Info(
            "session {SessionId} established {Remote} {Client} {Suite} {Group} id {ProtocolSessionId}",
            _number,
            _connection.Remote.ToString(),
            PeerLabel,
            result.Suite.ToString(),
            result.Group.ToString(),
            result.SessionId);
        if (result.Channel.MessageSignatures)
        {
            _signatures = new SignedTraffic(new MessageSignatureReceiver(result.Peer, result.SessionId));
            Log.Info(
                "session {SessionId}: per-message signatures in use ({Directions})",
                _number,
                _signatures.ClientSigns ? "requests and replies" : "replies only: the client proved no key");
        }

        Context.Parent.Tell(new SessionProtocol.Established(_number, fingerprint), Self);
        Become(Established);
        ScheduleIdleCheck(_settings.IdleTimeout);
        foreach (var frame in result.BufferedFrames)
        {
            if (_finished)
            {
                return;
            }

            foreach (var channelEvent in _channel!.ReceiveAll(frame, _output))
            {
                OnChannelEvent(channelEvent);
                if (_finished)
                {
                    break;
                }
            }
        }

        Flush();

        if (_shutdownAfterHandshake is { } drain && !_finished && _state == nameof(Established))
        {
            StartClosing(drain, "server shutting down (the handshake finished during the drain)");
        }
    }

    /// <summary>True once the server's flight (ServerHello … Finished) is out: the client may then consider itself established.</summary>
    private bool ServerFlightSent => _handshake?.StateName is "AwaitingClientIdentity" or "AwaitingClientSignature" or "Verifying" or "AwaitingClientFinished";

    private void EndHandshakeForShutdown(SessionProtocol.Shutdown shutdown)
    {
        if (ServerFlightSent)
        {
            // The client may already have sent its Finished and be established, so a plaintext alert
            // would be a protocol error to it. Let the handshake finish (the listener's drain deadline
            // bounds the wait) and close like any established session, with a protected close_notify.
            _shutdownAfterHandshake = shutdown.Drain;
            return;
        }

        // Before the server's flight no keys are agreed, so the only way to tell the client is a
        // plaintext alert, which the protocol accepts at any point of the handshake (PROTOCOL.md §6);
        // close_notify says the server ended the session, not that the client did anything wrong.
        _metrics?.HandshakeFailed(AlertDescription.CloseNotify);
        Log.Info("session {SessionId} {Remote}: server shutting down during the handshake; sent close_notify", _number, _connection.Remote.ToString());
        SendPlaintextAlert(AlertDescription.CloseNotify);
        Finish(null);
    }

    /// <summary>The client as the "established" line named it: its display name and fingerprint, or "anonymous".</summary>
    private string PeerLabel => _result?.Peer?.ToString() ?? "anonymous";

    /// <summary>The handshake's state for the log, in PROTOCOL.md §6.2's names (the actor's own behaviours are coarser).</summary>
    private string HandshakeStateName => _handshake?.StateName ?? _state;

    /// <summary>
    /// A peer that has not finished its handshake by the deadline gets no alert (PROTOCOL.md §6.2): it is slow or
    /// gone, and a peer stalling on purpose gets nothing more from us. Only the log says why.
    /// </summary>
    private void OnHandshakeDeadline()
    {
        if (_finished)
        {
            return;
        }

        _metrics?.HandshakeFailed(AlertDescription.InternalError);
        Log.Warning(
            "session {SessionId} handshake failed from {Remote} in {State}: the handshake deadline ({Deadline:0.#} s) passed; closed without an alert",
            _number,
            _connection.Remote.ToString(),
            HandshakeStateName,
            _settings.HandshakeTimeout.TotalSeconds);
        Finish(null);
    }

    private void FailHandshake(ProtocolFailure failure, bool sendAlert)
    {
        if (_finished)
        {
            return;
        }

        _metrics?.HandshakeFailed(failure.Alert);
        if (failure.ReceivedFromPeer && failure.Alert == AlertDescription.CloseNotify)
        {
            // The client gave up on its own (PROTOCOL.md §8.6): not a fault of either side, so not a warning.
            Log.Info("session {SessionId} {Remote}: the client ended the handshake with close_notify in {State}", _number, _connection.Remote.ToString(), HandshakeStateName);
        }
        else
        {
            Log.Warning("session {SessionId} handshake failed from {Remote} in {State}: {Failure}", _number, _connection.Remote.ToString(), HandshakeStateName, failure.ToString());
        }

        if (sendAlert && !failure.ReceivedFromPeer)
        {
            if (_handshake is { IsFinished: false } handshake)
            {
                // The machine knows which keys the client already holds: plaintext before the server's flight,
                // s_ap_0 after it (PROTOCOL.md §6.5).
                _output.Write(handshake.Abort(failure.Alert, failure.Reason).Output.Span);
                Flush();
            }
            else
            {
                SendPlaintextAlert(failure.Alert);
            }
        }

        Finish(null);
    }

    // ------------------------------------------------------------------ established

    /// <summary>Acts on one opened record; its replies are sealed into the output, flushed by the caller.</summary>
    private void OnChannelEvent(in ChannelEvent @event)
    {
        _lastActivity = Stopwatch.GetTimestamp();
        switch (@event.Kind)
        {
            case ChannelEventKind.Message when @event.MessageKind == MessageKind.Request:
                var id = @event.Id;
                _metrics?.MessageReceived();
                if (!_takingRequests)
                {
                    // Closing: requests after the decision to close are not answered; the client
                    // sees close_notify with them outstanding and knows they were not processed.
                    break;
                }

                if (_handlerGone)
                {
                    // Watched during the handshake: the handler had already stopped for good.
                    SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, "the application handler has stopped"));
                    return;
                }

                CryptoProtocol.VerifyMessage? verify = null;
                if (_signatures is not null && !TryAdmitSigned(MessageKind.Request, id, @event.Signed, @event.Payload, out verify))
                {
                    return;
                }

                _sequencer.Expect(id);
                if (verify is not null)
                {
                    // The handler sees it once its signature has verified, in request order.
                    (_receivedAt ??= [])[id] = _lastActivity;
                    SendMessageCrypto(verify);
                }
                else if (_context.Responder is not null)
                {
                    RespondInline(id, @event.Payload, signed: false, _lastActivity);
                }
                else
                {
                    (_receivedAt ??= [])[id] = _lastActivity;
                    _context.Handler!.Tell(NewHandle(id, @event.Payload.ToArray(), signed: false), Self);
                }

                if (!_held && RequestsInFlight >= _settings.MaxInFlight)
                {
                    _held = true;
                    _connection.Gate.Hold();
                }

                break;
            case ChannelEventKind.Message:
                // A client push is not for the handler, but a signed session still holds it to §12.
                if (_signatures is not null)
                {
                    if (!TryAdmitSigned(@event.MessageKind, @event.Id, @event.Signed, @event.Payload, out var verifyPush))
                    {
                        return;
                    }

                    if (verifyPush is not null)
                    {
                        SendMessageCrypto(verifyPush);
                    }
                }

                Log.Debug("session {SessionId}: ignoring a client {Kind}", _number, @event.MessageKind);
                break;
            case ChannelEventKind.Closed:
                _peerClosed = true;
                Flush();
                // Debug, not Info: a console line per session end cost the server 2-4 % of its CPU per A-shaped connection.
                // Like the other Debug lines, the template names only the session; the rest comes from its context.
                Log.Debug("session {SessionId}: closed by the client (close_notify)", _number);
                StartClosing(_settings.CloseNotifyTimeout, "client closed (EXIT)");
                return;
            case ChannelEventKind.Failed:
                // The channel has already queued the alert it sends (none when the client's alert ended it).
                Flush();
                LogClosedWithAlert(@event.Failure!);
                Finish(null);
                return;
        }
    }

    /// <summary>
    /// Answers a request with the responder, in this turn. The reply is sealed straight from the
    /// reusable reply buffer when it leaves at once (always, unless signatures or an earlier
    /// unanswered request hold it back; then it is copied). A responder that throws ends this
    /// session only, with internal_error.
    /// </summary>
    private void RespondInline(ulong id, ReadOnlySpan<byte> payload, bool signed, long receivedAt)
    {
        _reply.ResetWrittenCount();
        try
        {
            _context.Responder!.Respond(new HandlerRequest(_result!.SessionId, _result.Peer?.Fingerprint, _result.Peer?.DisplayName, _connection.Remote, id, payload, signed), _reply);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Error(e, "session {SessionId} {Remote}: the responder failed on request {RequestId}", _number, _connection.Remote.ToString(), id);
            SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, $"request {id} failed in the handler: {e.GetType().Name}"));
            return;
        }

        if (!FitsClientMaximum(MessageKind.Reply, id, _reply.WrittenCount))
        {
            return;
        }

        if (_signatures is null && _sequencer.TryReleaseNow(id))
        {
            // Nothing earlier is unanswered: seal now, without parking the reply in the sequencer.
            var channel = _channel!;
            if (!channel.IsSendClosed && channel.TryWriteReply(id, _reply.WrittenSpan, _output))
            {
                _metrics?.MessageSent(receivedAt);
            }

            AfterReplies(flushLater: false);
            return;
        }

        if (_signatures is null)
        {
            (_receivedAt ??= [])[id] = receivedAt;
        }

        _sequencer.Complete(id, _reply.WrittenMemory.ToArray());
        ReleaseReplies(flushLater: false);
    }

    private void OnReplied(HandlerProtocol.Replied replied)
    {
        if (!_finished && !FitsClientMaximum(MessageKind.Reply, replied.RequestId, replied.Payload.Length))
        {
            return;
        }

        if (!_sequencer.Complete(replied.RequestId, replied.Payload))
        {
            Log.Debug("session {SessionId}: ignoring a reply to unknown request {RequestId}", _number, replied.RequestId);
            return;
        }

        ReleaseReplies(flushLater: true);
    }

    /// <summary>Seals every reply that is next in request order; <paramref name="flushLater"/>: no caller flushes at the end of this turn.</summary>
    private void ReleaseReplies(bool flushLater)
    {
        var channel = _channel!;
        while (_sequencer.TryTakeNext(out var id, out var payload))
        {
            if (_signatures is not null)
            {
                SendMessageCrypto(_signatures.Enqueue(MessageKind.Reply, id, payload, UnixMillisecondsNow()));
                continue;
            }

            if (channel.IsSendClosed || !channel.TryWriteReply(id, payload.Span, _output))
            {
                break;
            }

            _metrics?.MessageSent(TakeReceivedAt(id));
        }

        AfterReplies(flushLater);
    }

    /// <summary>When a request that waited for a handler actor or a signature arrived (for the reply-duration metric); 0 if unknown.</summary>
    private long TakeReceivedAt(ulong id) => _receivedAt is not null && _receivedAt.Remove(id, out var at) ? at : 0;

    /// <summary>Requests received and not yet answered on the wire: with signatures, a reply waiting for its signature still counts.</summary>
    private int RequestsInFlight => _sequencer.InFlight + (_signatures?.Outgoing ?? 0);

    private void AfterReplies(bool flushLater)
    {
        _lastActivity = Stopwatch.GetTimestamp();
        if (_held && RequestsInFlight <= _settings.MaxInFlight / 2)
        {
            _held = false;
            _connection.Gate.Resume();
        }

        if (_state == nameof(Closing))
        {
            // The last reply may complete the close, which flushes it ahead of close_notify; a
            // deferred flush would then reach a stopped actor as a dead letter.
            TryCompleteClose();
        }

        if (!_finished && flushLater)
        {
            FlushSoon();
        }
    }

    private HandlerProtocol.Handle NewHandle(ulong id, ReadOnlyMemory<byte> payload, bool signed) => new(
        Self,
        _result!.SessionId,
        _result.Peer?.Fingerprint,
        _result.Peer?.DisplayName,
        _connection.Remote,
        id,
        payload)
    {
        Signed = signed,
    };

    // ------------------------------------------------------------------ per-message signatures

    /// <summary>Applies §12's receiver checks; on failure the session ends with the exact alert and false is returned.</summary>
    private bool TryAdmitSigned(MessageKind kind, ulong id, bool signed, ReadOnlySpan<byte> payload, out CryptoProtocol.VerifyMessage? verify)
    {
        var failure = _signatures!.Admit(kind, id, signed, payload, out verify);
        if (failure is null)
        {
            return true;
        }

        SendAlertAndFinish(failure);
        return false;
    }

    private void SendMessageCrypto(object command)
    {
        _metrics?.CryptoQueued();
        _context.Crypto.Tell(command, Self);
        if (!Timers.IsTimerActive(CryptoTimer) && _signatures!.OldestInFlight is { } oldest)
        {
            Timers.StartSingleTimer(CryptoTimer, new SessionProtocol.CryptoTimedOut(oldest), _settings.CryptoTimeout);
        }
    }

    private void OnMessageVerified(CryptoProtocol.MessageVerified verified)
    {
        if (_signatures is null || _finished)
        {
            return;
        }

        var failure = _signatures.OnVerified(verified, out var known);
        if (!known)
        {
            Log.Debug("session {SessionId}: ignoring a late message verification {CorrelationId}", _number, verified.CorrelationId);
            return;
        }

        if (failure is not null)
        {
            SendAlertAndFinish(failure);
            return;
        }

        while (_signatures.TryTakeVerifiedRequest(out var id, out var application))
        {
            if (_context.Responder is not null)
            {
                RespondInline(id, application.Span, signed: true, receivedAt: 0);
            }
            else
            {
                _context.Handler!.Tell(NewHandle(id, application, signed: true), Self);
            }
        }

        Flush();
    }

    private void OnMessageSigned(CryptoProtocol.MessageSigned signed)
    {
        if (_signatures is null || _finished || !_signatures.OnSigned(signed))
        {
            return;
        }

        var channel = _channel!;
        while (_signatures.TryTakeSigned(out var kind, out var requestId, out var payload))
        {
            if (channel.IsSendClosed)
            {
                continue;
            }

            if (kind == MessageKind.Reply)
            {
                if (channel.TryWriteReply(requestId, payload.Span, _output, signed: true))
                {
                    _metrics?.MessageSent(TakeReceivedAt(requestId));
                }
            }
            else if (channel.TryWritePush(payload.Span, _output, out _, signed: true))
            {
                _metrics?.MessageSent(0);
            }
        }

        AfterReplies(flushLater: true);
    }

    private void OnMessageCryptoFailed(CryptoProtocol.MessageCryptoFailed failed)
    {
        if (_signatures is not null && _signatures.OnFailed(failed))
        {
            SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, $"message signature operation {failed.CorrelationId}: {failed.Reason}"));
        }
    }

    private void OnMessageCryptoTimedOut(SessionProtocol.CryptoTimedOut timedOut)
    {
        if (_signatures is null || _finished)
        {
            return;
        }

        if (_signatures.IsInFlight(timedOut.CorrelationId))
        {
            SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, $"crypto worker reply deadline passed for message operation {timedOut.CorrelationId} (request lost)"));
            return;
        }

        // That one finished in time: watch whichever is oldest now (one timer per session, not per message).
        if (_signatures.OldestInFlight is { } oldest)
        {
            Timers.StartSingleTimer(CryptoTimer, new SessionProtocol.CryptoTimedOut(oldest), _settings.CryptoTimeout);
        }
    }

    private long UnixMillisecondsNow() => _context.Protocol.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void OnHandlerFailed(HandlerProtocol.Failed failed)
    {
        if (!_sequencer.IsPending(failed.RequestId))
        {
            return;
        }

        SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, $"request {failed.RequestId} failed in the handler: {failed.Reason}"));
    }

    private void OnHandlerGone()
    {
        if (_finished)
        {
            return;
        }

        if (_channel is null)
        {
            // Still handshaking: the failure surfaces when the first request cannot be served.
            _handlerGone = true;
            return;
        }

        SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, "the application handler has stopped"));
    }

    private void OnPush(HandlerProtocol.Push push)
    {
        if (!FitsClientMaximum(MessageKind.Push, 0, push.Payload.Length))
        {
            return;
        }

        if (_signatures is not null)
        {
            SendMessageCrypto(_signatures.Enqueue(MessageKind.Push, 0, push.Payload, UnixMillisecondsNow()));
            return;
        }

        if (_channel!.TryWritePush(push.Payload.Span, _output, out _))
        {
            _metrics?.MessageSent(0);

            // Traffic in either direction keeps a session alive: a client that only listens to pushes is not idle.
            _lastActivity = Stopwatch.GetTimestamp();
        }

        Flush();
    }

    /// <summary>
    /// A reply or push longer than the max_message_size the client announced cannot be delivered: the session ends
    /// with internal_error (PROTOCOL.md §8.3). The client's request was valid; the fault is this side's answer.
    /// </summary>
    private bool FitsClientMaximum(MessageKind kind, ulong requestId, int payloadLength)
    {
        var signatureBlock = _signatures is null ? 0 : MessageSignature.BlockLength(_context.Identity.KeySizeBits);
        var length = payloadLength + signatureBlock;
        var maximum = _channel!.PeerMaxMessageSize;
        if (length <= maximum)
        {
            return true;
        }

        var what = kind == MessageKind.Reply ? $"the reply to request {requestId}" : "a push";
        var signed = signatureBlock > 0 ? $" (with its {signatureBlock}-byte signature block)" : string.Empty;
        SendAlertAndFinish(new ProtocolFailure(AlertDescription.InternalError, $"{what} is {length} bytes{signed}, over the client's max_message_size of {maximum}"));
        return false;
    }

    private void OnIdleCheck()
    {
        var idle = Stopwatch.GetElapsedTime(_lastActivity);
        if (idle >= _settings.IdleTimeout)
        {
            StartClosing(_settings.CloseNotifyTimeout, $"idle for {idle.TotalSeconds:F0} s");
        }
        else
        {
            ScheduleIdleCheck(_settings.IdleTimeout - idle);
        }
    }

    private void ScheduleIdleCheck(TimeSpan after) => Timers.StartSingleTimer(IdleTimer, SessionProtocol.IdleCheck.Instance, after);

    // ------------------------------------------------------------------ closing

    private void StartClosing(TimeSpan drain, string reason)
    {
        Log.Debug("session {SessionId}: closing ({Reason}); {InFlight} replies in flight", _number, reason, RequestsInFlight);
        if (!_peerClosed)
        {
            Log.Info("session {SessionId} {Remote} {Client} closed by the server ({Reason})", _number, _connection.Remote.ToString(), PeerLabel, reason);
        }

        _takingRequests = false;
        Timers.Cancel(IdleTimer);
        if (_held)
        {
            // Keep reading: the peer's close_notify has to be seen.
            _held = false;
            _connection.Gate.Resume();
        }

        Become(Closing);
        Timers.StartSingleTimer(CloseTimer, SessionProtocol.CloseTimedOut.Instance, drain);
        TryCompleteClose();
    }

    private void TryCompleteClose()
    {
        if (RequestsInFlight > 0 || _finished)
        {
            return;
        }

        SendCloseNotify();
    }

    private void SendCloseNotify()
    {
        if (!_closeNotifySent)
        {
            _closeNotifySent = true;
            _channel!.TryWriteClose(_output);
            Flush();
            if (!_peerClosed)
            {
                Timers.StartSingleTimer(CloseTimer, SessionProtocol.CloseTimedOut.Instance, _settings.CloseNotifyTimeout);
            }
        }

        if (_peerClosed)
        {
            Finish("closed (close_notify both ways)");
        }
    }

    private void OnCloseTimedOut()
    {
        if (!_closeNotifySent)
        {
            // Drain time is over: tell the client now; its unanswered requests are its to retry.
            Log.Warning("session {SessionId} {Remote}: {InFlight} replies still in flight at the close deadline", _number, _connection.Remote.ToString(), RequestsInFlight);
            _sequencer.Clear();
            _signatures?.Clear();
            SendCloseNotify();
            return;
        }

        Finish("closed (no close_notify from the client in time)");
    }

    private void OnDisconnected(TransportProtocol.Disconnected disconnected)
    {
        if (_finished)
        {
            return;
        }

        if (_channel is null)
        {
            _metrics?.HandshakeFailed(AlertDescription.CloseNotify);
            if (disconnected.MidRecord)
            {
                // A cut inside a record is a truncation whatever the state (PROTOCOL.md §3), not a clean hang-up.
                Log.Warning("session {SessionId} {Remote} truncated during the handshake: connection ended inside the prologue or a record ({Reason})", _number, _connection.Remote.ToString(), disconnected.Reason);
            }
            else
            {
                // Still "truncated" (PROTOCOL.md §8.6), but at Info: health checks and port scans end here every day.
                Log.Info(
                    "session {SessionId} {Remote} truncated during the handshake: connection ended {Where} ({Reason})",
                    _number,
                    _connection.Remote.ToString(),
                    disconnected.NothingReceived ? "before the client sent anything" : "between records",
                    disconnected.Reason);
            }
        }
        else if (_peerClosed)
        {
            Log.Debug("session {SessionId}: disconnected after close_notify", _number);
        }
        else
        {
            Log.Warning(
                "session {SessionId} {Remote} {Client} truncated: connection ended without close_notify ({Reason})",
                _number,
                _connection.Remote.ToString(),
                PeerLabel,
                disconnected.Reason);
        }

        _finished = true;
        _connection.Abort();
        Context.Stop(Self);
    }

    /// <summary>One wording for every established session that ends on an alert, whichever side sent it.</summary>
    private void LogClosedWithAlert(ProtocolFailure failure)
    {
        if (failure.ReceivedFromPeer)
        {
            Log.Warning("session {SessionId} {Remote} {Client} closed by the client with {Alert}", _number, _connection.Remote.ToString(), PeerLabel, ServerMetrics.AlertName(failure.Alert));
        }
        else
        {
            Log.Warning("session {SessionId} {Remote} {Client} closed with {Alert}: {Reason}", _number, _connection.Remote.ToString(), PeerLabel, ServerMetrics.AlertName(failure.Alert), failure.Reason);
        }
    }

    private void SendAlertAndFinish(ProtocolFailure failure)
    {
        if (_finished)
        {
            return;
        }

        LogClosedWithAlert(failure);
        if (_channel is not null && !_channel.IsSendClosed)
        {
            _channel.TryWriteAlert(failure.Alert, _output);
            Flush();
        }
        else if (_channel is null)
        {
            SendPlaintextAlert(failure.Alert);
        }

        Finish(null);
    }

    /// <summary>Ends the session: flushes what is queued, closes the connection gracefully, stops.</summary>
    private void Finish(string? reason)
    {
        if (_finished)
        {
            return;
        }

        if (reason is not null)
        {
            Log.Debug("session {SessionId}: {Reason}", _number, reason);
        }

        // Replies sealed but waiting for a coalesced flush are part of the session; send them first.
        Flush();
        if (_finished)
        {
            return; // the flush found a client that stopped reading and aborted the connection
        }

        _finished = true;
        Timers.CancelAll();
        _connection.Close();
        Context.Stop(Self);
    }

    private void Abort()
    {
        _finished = true;
        Timers.CancelAll();
        _connection.Abort();
        Context.Stop(Self);
    }

    // ------------------------------------------------------------------ output

    private void Send(ReadOnlyMemory<byte> bytes)
    {
        if (!bytes.IsEmpty && !_connection.TrySend(bytes))
        {
            DropSlowReader();
        }
    }

    /// <summary>Flushes once the replies already in the mailbox are sealed too (see <see cref="SessionProtocol.FlushOutput"/>).</summary>
    private void FlushSoon()
    {
        if (!_flushScheduled && _output.WrittenCount > 0)
        {
            _flushScheduled = true;
            Self.Tell(SessionProtocol.FlushOutput.Instance, ActorRefs.NoSender);
        }
    }

    private void OnFlushOutput()
    {
        _flushScheduled = false;
        Flush();
    }

    private void Flush()
    {
        if (_channel is { IsSendClosed: false } channel && !channel.FlushBatch(_output))
        {
            // The sequence space is exhausted; the channel has already closed its sending side.
            Log.Warning("session {SessionId}: could not seal the last replies (record sequence exhausted)", _number);
        }

        if (_output.WrittenCount == 0)
        {
            return;
        }

        // The connection copies what it queues, so one writer serves every flush of the session.
        var queued = _connection.TrySend(_output.WrittenMemory);
        _output.ResetWrittenCount();
        if (!queued)
        {
            DropSlowReader();
        }
    }

    /// <summary>Writes a plaintext alert record (before keys exist, or in place of an unsealed one) and flushes it.</summary>
    private void SendPlaintextAlert(AlertDescription alert)
    {
        ReadOnlySpan<byte> body = [alert == AlertDescription.CloseNotify ? (byte)1 : (byte)2, (byte)alert];
        FrameWriter.WritePlaintext(_output, RecordType.Alert, body);
        Flush();
    }

    private void DropSlowReader()
    {
        if (_finished)
        {
            return;
        }

        _metrics?.SlowReaderDropped();
        Log.Warning(
            "session {SessionId} {Remote} {Client} dropped: the client stopped reading (outbound queue over {Limit} bytes)",
            _number,
            _connection.Remote.ToString(),
            PeerLabel,
            _settings.OutboundQueueLimit);
        Abort();
    }

    /// <summary>
    /// Logs an unexpected exception once, with the session's context, before it reaches the
    /// listener's supervision (which stops this session without logging again). One wrapper for
    /// every handler instead of one closure per handler: a server holds thousands of sessions.
    /// </summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            Log.Error(
                e,
                "session {SessionId} {Remote} {Client} failed in {State}: {Reason}; closing with internal_error",
                _number,
                _connection.Remote.ToString(),
                PeerLabel,
                _state,
                e.Message);
            throw;
        }
    }

    private sealed class PropertiesOnWrite(ILoggingAdapter inner, SessionActor session) : ILoggingAdapter
    {
        public bool IsEnabled(LogLevel level) => inner.IsEnabled(level);

        public void Log(LogLevel level, Exception? exception, string template, params object?[] args)
        {
            if (inner.IsEnabled(level))
            {
                session.WithSessionProperties(inner).Log(level, exception, template, args);
            }
        }

        public ILoggingAdapter ForContext(string propertyName, object? value) =>
            session.WithSessionProperties(inner).ForContext(propertyName, value);
    }
}
