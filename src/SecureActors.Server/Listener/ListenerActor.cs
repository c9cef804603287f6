using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Server.Metrics;
using SecureActors.Server.Session;
using SecureActors.Server.Transport;

namespace SecureActors.Server.Listener;

/// <summary>State that must survive a restart of the listener: counts, the sessions it watches, numbering.</summary>
internal sealed class ListenerState(AdmissionControl admission)
{
    public AdmissionControl Admission { get; } = admission;

    public Dictionary<IActorRef, (IPAddress Address, bool Handshaking)> Sessions { get; } = [];

    public long NextSessionNumber { get; set; }

    public long Refused { get; set; }

    public int BindAttempts { get; set; }

    /// <summary>When the listener recovered from its recent failures (Stopwatch timestamps), to bound how often it may.</summary>
    public Queue<long> Failures { get; } = new();

    public IPEndPoint? BoundEndpoint { get; set; }
}

/// <summary>
/// Binds the server's address, runs the accept loop, admits or refuses each connection, and spawns
/// and watches one session per admitted connection. A session's failure stops only that session.
/// When the listener itself fails (accept() failing, or a bug while admitting) it recovers in place:
/// it closes the port and re-binds, at most <c>server.listener.max-restarts</c> times within
/// <c>restart-window</c>, past which it stops accepting for good. It does not leave this to a
/// supervisor restart because the runtime restarts a restarted actor's children too, and a session
/// cannot survive a restart (its keys die with the instance): recovering in place is what keeps the
/// established sessions, its children, running.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it owns in PostStop, not through IDisposable.")]
internal sealed class ListenerActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// What every admission refusal sends (PROTOCOL.md §4): a plaintext fatal server_busy alert,
    /// record header <c>15 00 02</c> then level 2 and the code. It is not internal_error because
    /// nothing failed: the client may retry, and a bug must stay distinguishable from a full server.
    /// </summary>
    private static readonly byte[] RefusalAlert = [(byte)RecordType.Alert, 0x00, 0x02, 0x02, (byte)AlertDescription.ServerBusy];

    private readonly ServerSettings _settings;
    private readonly ListenerState _state;
    private readonly Func<long, IConnection, Props> _sessionProps;
    private readonly ServerMetrics? _metrics;
    private ILoggingAdapter _log = null!;
    private Socket? _listenSocket;
    private CancellationTokenSource? _acceptCancel;
    private bool _unbound;
    private IActorRef? _drainRequester;
    private int _forced;

    public ListenerActor(ServerSettings settings, ListenerState state, Func<long, IConnection, Props> sessionProps, ServerMetrics? metrics)
    {
        _settings = settings;
        _state = state;
        _sessionProps = sessionProps;
        _metrics = metrics;

        Receive<ListenerProtocol.Accepted>(accepted =>
        {
            try
            {
                OnAccepted(accepted);
            }
            catch (Exception e)
            {
                Recover($"admitting a connection failed: {e.Message}", e);
            }
        });
        Receive<ListenerProtocol.AcceptFailed>(failed => Recover($"accepting connections failed: {failed.Cause.Message}", failed.Cause));
        Receive<ListenerProtocol.RetryBind>(_ => TryBind());
        Receive<SessionProtocol.Established>(_ => OnSessionEstablished());
        Receive<Terminated>(OnSessionTerminated);
        Receive<ListenerProtocol.Unbind>(_ =>
        {
            _unbound = true;
            ClosePort();
            Sender.Tell(ListenerProtocol.Unbound.Instance, Self);
        });
        Receive<ListenerProtocol.DrainSessions>(OnDrain);
        Receive<ListenerProtocol.DrainDeadline>(_ => OnDrainDeadline());
        Receive<ListenerProtocol.GetCounts>(_ => Sender.Tell(new ListenerProtocol.Counts(_state.Admission.Open, _state.Admission.Handshaking, _state.Refused), Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ServerSettings settings, ListenerState state, Func<long, IConnection, Props> sessionProps, ServerMetrics? metrics) =>
        Actors.Actor.Props.Create(() => new ListenerActor(settings, state, sessionProps, metrics));

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A session's failure means that one connection is closed with internal_error (its PostStop
        // sends it); the session has already logged the failure with its context, so no second log.
        new OneForOneStrategy(0, null, _ => Directive.Stop, loggingEnabled: false);

    protected override void PreStart()
    {
        _log = Context.GetLogger();
        TryBind();
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        // Not reached by the listener's own failures (see Recover). If a supervisor restarts it anyway,
        // only the port is closed here; the runtime then restarts the sessions, which end themselves.
        ClosePort();
    }

    protected override void PostRestart(Exception reason)
    {
        _log = Context.GetLogger();
        _log.Warning("listener restarted by its supervisor ({Reason}); re-binding", reason.Message);
        _state.BindAttempts = 0;
        TryBind();
    }

    protected override void PostStop() => ClosePort();

    // ------------------------------------------------------------------ binding

    private void TryBind()
    {
        if (_unbound)
        {
            return;
        }

        _state.BindAttempts++;
        var endpoint = new IPEndPoint(IPAddress.Parse(_settings.Host), _state.BoundEndpoint?.Port ?? _settings.Port);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(_settings.Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var reason = e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"cannot listen on {endpoint}: the address is already in use (is another server running? pick another port with --port)"
                : $"cannot listen on {endpoint}: {e.Message}";
            if (_state.BindAttempts <= _settings.BindRetries)
            {
                _log.Warning("{Reason}; retrying in {Delay}", reason, _settings.BindRetryDelay);
                Timers.StartSingleTimer("bind", ListenerProtocol.RetryBind.Instance, _settings.BindRetryDelay);
                return;
            }

            if (_state.BoundEndpoint is not null)
            {
                // Re-binding after a failure: stopping would take the established sessions with us.
                _unbound = true;
                _log.Error("{Reason}; no longer accepting connections ({Sessions} established sessions keep running)", reason, _state.Sessions.Count);
                return;
            }

            Context.Parent.Tell(new ListenerProtocol.BindFailed(reason), Self);
            Context.Stop(Self);
            return;
        }

        _listenSocket = socket;
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _state.BoundEndpoint = bound;
        _acceptCancel = new CancellationTokenSource();
        _ = AcceptLoopAsync(socket, Self, _acceptCancel.Token);
        Context.Parent.Tell(new ListenerProtocol.Bound(bound), Self);
    }

    private static async Task AcceptLoopAsync(Socket listenSocket, IActorRef listener, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                var socket = await listenSocket.AcceptAsync(cancellation).ConfigureAwait(false);
                listener.Tell(new ListenerProtocol.Accepted(socket), ActorRefs.NoSender);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || cancellation.IsCancellationRequested)
        {
            // The listening socket was closed on purpose (unbind, restart, stop).
        }
        catch (SocketException e)
        {
            listener.Tell(new ListenerProtocol.AcceptFailed(e), ActorRefs.NoSender);
        }
    }

    private void ClosePort()
    {
        _acceptCancel?.Cancel();
        _acceptCancel?.Dispose();
        _acceptCancel = null;
        _listenSocket?.Dispose();
        _listenSocket = null;
    }

    /// <summary>Closes the port and re-binds it, keeping every session; bounded by server.listener.</summary>
    private void Recover(string reason, Exception cause)
    {
        ClosePort();
        if (_unbound)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var failures = _state.Failures;
        failures.Enqueue(now);
        while (Stopwatch.GetElapsedTime(failures.Peek(), now) > _settings.ListenerRestartWindow)
        {
            failures.Dequeue();
        }

        if (failures.Count > _settings.ListenerMaxRestarts)
        {
            _unbound = true;
            _log.Error(cause, "listener failed {Failures} times within {Window}: {Reason}; no longer accepting connections ({Sessions} established sessions keep running)", failures.Count, _settings.ListenerRestartWindow, reason, _state.Sessions.Count);
            return;
        }

        _log.Warning(cause, "listener failed: {Reason}; re-binding, {Sessions} established sessions kept", reason, _state.Sessions.Count);
        _state.BindAttempts = 0;
        TryBind();
    }

    // ------------------------------------------------------------------ admission

    private void OnAccepted(ListenerProtocol.Accepted accepted)
    {
        var socket = accepted.Socket;
        if (_unbound || _drainRequester is not null)
        {
            socket.Dispose();
            return;
        }

        var remote = socket.RemoteEndPoint as IPEndPoint;
        if (remote is null)
        {
            socket.Dispose();
            return;
        }

        var refusal = _state.Admission.TryAdmit(remote.Address);
        if (refusal is not null)
        {
            _state.Refused++;
            _metrics?.Refused(refusal);
            // Debug, not Info: a flood must not flood the console. The stats line sums refusals by limit.
            _log.Debug("refused a connection from {Remote}: {Limit} (sent server_busy)", remote.ToString(), refusal);
            _ = RefuseAsync(socket, _settings.Limits.RefusalLinger);
            return;
        }

        var number = ++_state.NextSessionNumber;
        var session = _settings.Session;
        IActorRef child;
        try
        {
            var connection = new Connection(socket, _settings.Transport, session.OutboundQueueLimit, session.MaxInFlight, session.CloseNotifyTimeout, _metrics);
            child = Context.ActorOf(_sessionProps(number, connection), $"session-{number}");
        }
        catch (SocketException)
        {
            // The client reset the connection before we got to it.
            _state.Admission.Closed(remote.Address, wasHandshaking: true);
            socket.Dispose();
            return;
        }

        Context.Watch(child);
        _state.Sessions[child] = (remote.Address, true);
    }

    /// <summary>Sends server_busy, half-closes, and drains briefly so the alert is not lost to an RST.</summary>
    private static async Task RefuseAsync(Socket socket, TimeSpan linger)
    {
        using var timeout = new CancellationTokenSource(linger);
        try
        {
            await socket.SendAsync(RefusalAlert, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[512];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away first, or lingered too long: either way we are done with it.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private void OnSessionEstablished()
    {
        if (_state.Sessions.TryGetValue(Sender, out var entry) && entry.Handshaking)
        {
            _state.Sessions[Sender] = (entry.Address, false);
            _state.Admission.HandshakeCompleted(entry.Address);
        }
    }

    private void OnSessionTerminated(Terminated terminated)
    {
        if (_state.Sessions.Remove(terminated.ActorRef, out var entry))
        {
            _state.Admission.Closed(entry.Address, entry.Handshaking);
        }

        if (_drainRequester is not null && _state.Sessions.Count == 0)
        {
            CompleteDrain();
        }
    }

    // ------------------------------------------------------------------ shutdown

    private void OnDrain(ListenerProtocol.DrainSessions drain)
    {
        _unbound = true;
        ClosePort();
        _drainRequester = Sender;
        if (_state.Sessions.Count == 0)
        {
            CompleteDrain();
            return;
        }

        _log.Info("closing {Sessions} sessions (close_notify; up to {Drain} for in-flight replies)", _state.Sessions.Count, drain.Drain);
        foreach (var session in _state.Sessions.Keys)
        {
            session.Tell(new SessionProtocol.Shutdown(drain.Drain), Self);
        }

        // Sessions close themselves within drain + close-notify wait; anything left after that is stopped.
        Timers.StartSingleTimer("drain", ListenerProtocol.DrainDeadline.Instance, drain.Drain + _settings.Session.CloseNotifyTimeout + TimeSpan.FromMilliseconds(500));
    }

    private void OnDrainDeadline()
    {
        foreach (var session in _state.Sessions.Keys)
        {
            _forced++;
            Context.Stop(session);
        }

        if (_state.Sessions.Count == 0)
        {
            CompleteDrain();
        }
    }

    private void CompleteDrain()
    {
        Timers.Cancel("drain");
        _drainRequester?.Tell(new ListenerProtocol.SessionsDrained(_forced), Self);
        _drainRequester = null;
    }
}
