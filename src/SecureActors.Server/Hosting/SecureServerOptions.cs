using SecureActors.Actors.Actor;
using SecureActors.Protocol.Identity;

namespace SecureActors.Server.Hosting;

/// <summary>What a host can plug into the server beyond configuration.</summary>
public sealed record SecureServerOptions
{
    /// <summary>
    /// Props of the application handler (usually a <see cref="Handler.MessageHandler"/>); it runs at
    /// <c>/user/server/handler</c>. Null: <see cref="Responder"/>, else the handler named by <c>server.handler.type</c>.
    /// </summary>
    public Props? HandlerProps { get; init; }

    /// <summary>
    /// A synchronous handler run inside each session (no hand-off per request); used when
    /// <see cref="HandlerProps"/> is null. Null: the handler named by <c>server.handler.type</c>.
    /// </summary>
    public Handler.IRequestResponder? Responder { get; init; }

    /// <summary>The Serilog logger for the server and its actor system; <see cref="Serilog.Log.Logger"/> when null.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>The server's identity; when null it is loaded from (or generated at) <c>server.identity.key-file</c>.</summary>
    public LocalIdentity? Identity { get; init; }

    /// <summary>Who may connect when client authentication is on; when null, <c>server.client-auth.authorized-clients</c> is read.</summary>
    public IClientAuthorizer? Authorizer { get; init; }

    /// <summary>The actor system's name.</summary>
    public string SystemName { get; init; } = "secure-actors";
}
