using SecureActors.Actors.Actor;

namespace SecureActors.Server.Handler;

/// <summary>Echo as an actor handler (<c>server.handler.type = echo-actor</c>): the reply is the request, answered by the shared handler actor. The default echo answers inside each session instead (<see cref="EchoResponder"/>).</summary>
public sealed class EchoHandler : MessageHandler
{
    /// <summary>Props for the echo handler.</summary>
    public static Props Props() => Actors.Actor.Props.Create(() => new EchoHandler());

    /// <inheritdoc />
    protected override void OnRequest(HandlerProtocol.Handle request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Reply(request.Payload);
    }
}
