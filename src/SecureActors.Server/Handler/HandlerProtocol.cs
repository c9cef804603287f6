using System.Net;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;

namespace SecureActors.Server.Handler;

/// <summary>
/// The application handler's protocol. Each decrypted request reaches the handler as a
/// <see cref="Handle"/>; the handler answers with <see cref="Handle.Reply"/> (in any order: the
/// session puts replies back into request order) and may push unsolicited messages with
/// <see cref="Push"/>.
/// </summary>
public static class HandlerProtocol
{
    /// <summary>One request from an established session.</summary>
    /// <param name="Session">The session to answer; replies go here.</param>
    /// <param name="SessionId">The protocol session id (hex), as both ends log it.</param>
    /// <param name="Fingerprint">The client's key fingerprint; null for an anonymous client.</param>
    /// <param name="ClientName">The display name authorized_clients gives the client's key, if any.</param>
    /// <param name="Remote">The client's address and port.</param>
    /// <param name="RequestId">The request's number in its session (1, 2, 3, …).</param>
    /// <param name="Payload">The message; owned by this request.</param>
    public sealed record Handle(
        IActorRef Session,
        string SessionId,
        string? Fingerprint,
        string? ClientName,
        IPEndPoint Remote,
        ulong RequestId,
        ReadOnlyMemory<byte> Payload)
    {
        /// <summary>
        /// True when the request carried a per-message signature (PROTOCOL.md §12) that verified
        /// against the client's key, bound to this session and in counter order. <see cref="Payload"/>
        /// is then the application bytes only, without the signature block.
        /// </summary>
        public bool Signed { get; init; }

        /// <summary>Answers this request with <paramref name="payload"/>.</summary>
        public void Reply(ReadOnlyMemory<byte> payload) => Session.Tell(new Replied(RequestId, payload), ActorRefs.NoSender);

        /// <summary>Reports that this request cannot be answered; the session ends with internal_error.</summary>
        public void Fail(string reason) => Session.Tell(new Failed(RequestId, reason), ActorRefs.NoSender);
    }

    /// <summary>The answer to request <paramref name="RequestId"/> (not logged as a dead letter when the session has already ended).</summary>
    public sealed record Replied(ulong RequestId, ReadOnlyMemory<byte> Payload) : IDeadLetterSuppression;

    /// <summary>Request <paramref name="RequestId"/> failed in the handler; the session ends with internal_error.</summary>
    public sealed record Failed(ulong RequestId, string Reason) : IDeadLetterSuppression;

    /// <summary>Tell a session to send an unsolicited message to its client.</summary>
    public sealed record Push(ReadOnlyMemory<byte> Payload);
}
