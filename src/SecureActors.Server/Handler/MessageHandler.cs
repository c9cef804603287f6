using SecureActors.Actors.Actor;

namespace SecureActors.Server.Handler;

/// <summary>
/// Base class of application handlers. Implement <see cref="OnRequest"/> and answer each request
/// with <see cref="HandlerProtocol.Handle.Reply"/>. If the handler throws, the server restarts it
/// (bounded, see <c>server.handler</c>) and the session whose request failed is told, so it can end
/// with internal_error instead of waiting forever.
/// </summary>
public abstract class MessageHandler : ReceiveActor
{
    /// <summary>Routes requests to <see cref="OnRequest"/>.</summary>
    protected MessageHandler() => Receive<HandlerProtocol.Handle>(OnRequest);

    /// <summary>Handles one request.</summary>
    protected abstract void OnRequest(HandlerProtocol.Handle request);

    /// <inheritdoc />
    protected override void PreRestart(Exception reason, object? message)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (message is HandlerProtocol.Handle failed)
        {
            // The failing request is not retried: tell its session so it does not wait forever.
            failed.Fail($"handler failed: {reason.GetType().Name}");
        }

        base.PreRestart(reason, message);
    }
}
