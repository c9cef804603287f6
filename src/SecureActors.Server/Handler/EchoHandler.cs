using SecureActors.Actors.Actor;

namespace SecureActors.Server.Handler;

/// <summary>The built-in handler: the reply is the request. The load client relies on it to verify integrity.</summary>
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
