using SecureActors.Actors.Actor;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Handler;
using SecureActors.Server.Metrics;

namespace SecureActors.Server.Session;

/// <summary>
/// What every session of one server shares: settings, the identity, and the actors it talks to.
/// Requests go to <paramref name="Responder"/> inline when it is set, else to the <paramref name="Handler"/> actor.
/// </summary>
internal sealed record SessionContext(
    SessionSettings Settings,
    ProtocolOptions Protocol,
    LocalIdentity Identity,
    IClientAuthorizer? Authorizer,
    IActorRef Crypto,
    IActorRef? Handler,
    IRequestResponder? Responder,
    ServerMetrics? Metrics);
