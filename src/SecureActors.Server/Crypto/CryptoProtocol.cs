using SecureActors.Actors.Event;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Server.Crypto;

/// <summary>
/// The crypto-worker pool's protocol. Handshake steps: a session sends <see cref="Execute"/>, a worker
/// answers <see cref="Executed"/>. Per-message signatures (PROTOCOL.md §12): <see cref="SignMessage"/>
/// and <see cref="VerifyMessage"/>, answered by <see cref="MessageSigned"/>, <see cref="MessageVerified"/>
/// or, for a local crypto fault, <see cref="MessageCryptoFailed"/>.
/// </summary>
internal static class CryptoProtocol
{
    // The answers are marked IDeadLetterSuppression: a session that ends (a failure, a reset, a shutdown) while its
    // crypto work is still queued has nobody left to read them, and that is expected, not worth a dead-letter line.

    /// <summary>Run <paramref name="Operation"/>; the reply carries the same <paramref name="CorrelationId"/>.</summary>
    public sealed record Execute(long CorrelationId, CryptoOperation Operation);

    /// <summary>The outcome of the <see cref="Execute"/> with <paramref name="CorrelationId"/>.</summary>
    public sealed record Executed(long CorrelationId, CryptoResult Result) : IDeadLetterSuppression;

    /// <summary>Sign <paramref name="Application"/> with the server key, bound to <paramref name="Room"/> and <paramref name="Counter"/>.</summary>
    public sealed record SignMessage(long CorrelationId, string Room, ulong Counter, long UnixMilliseconds, ReadOnlyMemory<byte> Application);

    /// <summary>The signed payload (signature block ‖ application bytes) for the <see cref="SignMessage"/> with <paramref name="CorrelationId"/>.</summary>
    public sealed record MessageSigned(long CorrelationId, byte[] Payload) : IDeadLetterSuppression;

    /// <summary>Check <paramref name="Message"/>'s signature against <paramref name="Sender"/>'s key and <paramref name="Room"/>.</summary>
    public sealed record VerifyMessage(long CorrelationId, PeerIdentity Sender, string Room, SignedMessage Message);

    /// <summary>Whether the <see cref="VerifyMessage"/> with <paramref name="CorrelationId"/> verified.</summary>
    public sealed record MessageVerified(long CorrelationId, bool Valid) : IDeadLetterSuppression;

    /// <summary>The crypto back end failed on a message operation (a local fault, never the peer's doing).</summary>
    public sealed record MessageCryptoFailed(long CorrelationId, string Reason) : IDeadLetterSuppression;
}
