using System.Net;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using SecureActors.Actors.Routing;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Crypto;
using SecureActors.Server.Handler;
using SecureActors.Server.Listener;
using SecureActors.Server.Metrics;
using SecureActors.Server.Session;

namespace SecureActors.Server.Hosting;

/// <summary>What the guardian builds the server from.</summary>
internal sealed record ServerParts(
    ServerSettings Settings,
    LocalIdentity Identity,
    IClientAuthorizer? Authorizer,
    ApplicationHandler Handler,
    ServerMetrics Metrics,
    TaskCompletionSource<IPEndPoint> Bound);

/// <summary>Which application handler the server runs: an actor reached by message (<paramref name="ActorProps"/>), or a responder run inside each session. Exactly one is set.</summary>
internal sealed record ApplicationHandler(Props? ActorProps, IRequestResponder? Responder);

/// <summary>
/// /user/server: owns the tree (crypto pool, handler, listener, stats) and decides what their
/// failures mean. A failing child is restarted, bounded by <c>server.handler.max-restarts</c> within
/// <c>restart-window</c>; past that it stops. A stopped handler makes every session answer
/// internal_error (sessions watch it). A responder (the default echo) has no actor: it runs inside each
/// session, and a failure there ends only that session. The listener recovers from its own failures in place (see
/// <see cref="ListenerActor"/>), because a restart here would restart the sessions under it too.
/// </summary>
internal sealed class ServerGuardian : ReceiveActor
{
    private readonly ServerParts _parts;
    private ILoggingAdapter _log = null!;
    private IActorRef? _handler;
    private IActorRef _listener = null!;
    private bool _stopping;

    public ServerGuardian(ServerParts parts)
    {
        _parts = parts;
        Receive<ListenerProtocol.Bound>(bound =>
        {
            if (!_parts.Bound.TrySetResult(bound.Endpoint))
            {
                _log.Info("listening again on {Endpoint}", bound.Endpoint.ToString());
            }
        });
        Receive<ListenerProtocol.BindFailed>(failed =>
        {
            // Reported once, by whoever awaits the start (the exception carries the reason).
            _stopping = true;
            _parts.Bound.TrySetException(new BindFailedException(failed.Reason));
        });
        Receive<ServerProtocol.StopAccepting>(_ =>
        {
            _stopping = true;
            _listener.Forward(ListenerProtocol.Unbind.Instance);
        });
        Receive<ServerProtocol.DrainSessions>(drain =>
        {
            _stopping = true;
            _listener.Forward(new ListenerProtocol.DrainSessions(drain.Drain));
        });
        Receive<Terminated>(OnTerminated);
    }

    public static Props Props(ServerParts parts) => Actors.Actor.Props.Create(() => new ServerGuardian(parts));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        _parts.Settings.Handler.MaxRestarts,
        _parts.Settings.Handler.RestartWindow,
        _ => Directive.Restart);

    protected override void PreStart()
    {
        _log = Context.GetLogger();
        var settings = _parts.Settings;
        var crypto = Context.ActorOf(
            CryptoWorker.Props(_parts.Identity, _parts.Metrics, settings.Crypto.FaultEvery).WithRouter(FromConfig.Instance),
            "crypto");
        if (_parts.Handler.ActorProps is { } handlerProps)
        {
            _handler = Context.Watch(Context.ActorOf(handlerProps, "handler"));
        }

        var protocol = settings.Identity.Protocol;
        if (protocol.EnableClassroom)
        {
            // The toy suite must never run quietly: every negotiation and every record it protects is logged.
            var log = _log;
            protocol = protocol with { SecurityWarning = warning => log.Warning("{Warning}", warning) };
        }

        var sessions = new SessionContext(settings.Session, protocol, _parts.Identity, _parts.Authorizer, crypto, _handler, _parts.Handler.Responder, _parts.Metrics);
        var admission = new AdmissionControl(settings.Limits, Random.Shared.NextDouble, TimeProvider.System);
        _listener = Context.Watch(Context.ActorOf(
            ListenerActor.Props(settings, new ListenerState(admission), (number, connection) => SessionActor.Props(number, connection, sessions), _parts.Metrics),
            "listener"));
        if (settings.Stats.Enabled)
        {
            Context.ActorOf(StatsReporter.Props(_parts.Metrics, settings.Stats.Interval), "stats");
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (ReferenceEquals(terminated.ActorRef, _handler))
        {
            _log.Error("the application handler stopped after repeated failures; sessions now answer internal_error");
        }
        else if (ReferenceEquals(terminated.ActorRef, _listener) && !_stopping)
        {
            _log.Error("the listener stopped; no new connections are accepted (established sessions are gone with it)");
            _parts.Bound.TrySetException(new BindFailedException("the listener stopped before it was bound"));
        }
    }
}

/// <summary>The server could not listen on its configured address.</summary>
public sealed class BindFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BindFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BindFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public BindFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
