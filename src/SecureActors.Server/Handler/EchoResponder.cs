using System.Buffers;

namespace SecureActors.Server.Handler;

/// <summary>
/// The built-in handler (<c>server.handler.type = echo</c>): the reply is the request, answered in
/// the session itself. The load client relies on it to verify integrity.
/// </summary>
public sealed class EchoResponder : IRequestResponder
{
    /// <summary>The one instance every session shares (it holds no state).</summary>
    public static EchoResponder Instance { get; } = new();

    /// <inheritdoc />
    public void Respond(in HandlerRequest request, IBufferWriter<byte> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        reply.Write(request.Payload);
    }
}
