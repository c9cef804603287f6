using System.Buffers;
using System.Net;

namespace SecureActors.Server.Handler;

/// <summary>
/// An application handler that answers each request synchronously, inside the session that received
/// it: no hand-off to another actor, no copy of the request, and the reply is sealed straight from
/// <c>reply</c>. Use it for answers that need no I/O and no shared mutable state (echo, lookups in
/// immutable data, computation); a handler that waits for anything belongs in an actor
/// (<see cref="MessageHandler"/>), which sessions reach by message instead.
/// </summary>
/// <remarks>
/// One instance serves every session at once, from many threads: it must be thread-safe, and is best
/// stateless. If <see cref="Respond"/> throws, only the session whose request it was ends (with
/// internal_error, logged once with the session's context); every other session carries on.
/// </remarks>
public interface IRequestResponder
{
    /// <summary>Writes the answer to <paramref name="request"/> into <paramref name="reply"/> (an empty reply is allowed).</summary>
    void Respond(in HandlerRequest request, IBufferWriter<byte> reply);
}

/// <summary>
/// One request as an <see cref="IRequestResponder"/> sees it. <see cref="Payload"/> points into the
/// session's receive buffer and is valid only during the call: copy what must outlive it.
/// </summary>
public readonly ref struct HandlerRequest
{
    /// <summary>Creates a request view.</summary>
    public HandlerRequest(string sessionId, string? fingerprint, string? clientName, IPEndPoint remote, ulong requestId, ReadOnlySpan<byte> payload, bool signed)
    {
        SessionId = sessionId;
        Fingerprint = fingerprint;
        ClientName = clientName;
        Remote = remote;
        RequestId = requestId;
        Payload = payload;
        Signed = signed;
    }

    /// <summary>The protocol session id (hex), as both ends log it.</summary>
    public string SessionId { get; }

    /// <summary>The client's key fingerprint; null for an anonymous client.</summary>
    public string? Fingerprint { get; }

    /// <summary>The display name authorized_clients gives the client's key, if any.</summary>
    public string? ClientName { get; }

    /// <summary>The client's address and port.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>The request's number in its session (1, 2, 3, …).</summary>
    public ulong RequestId { get; }

    /// <summary>The message (without a per-message signature block); valid only during the call.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>True when the request carried a per-message signature that verified (PROTOCOL.md §12).</summary>
    public bool Signed { get; }
}
