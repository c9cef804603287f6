using SecureActors.Protocol.Handshake;

namespace SecureActors.Server.Crypto;

/// <summary>The crypto-worker pool's protocol: a session sends <see cref="Execute"/>, a worker answers <see cref="Executed"/>.</summary>
internal static class CryptoProtocol
{
    /// <summary>Run <paramref name="Operation"/>; the reply carries the same <paramref name="CorrelationId"/>.</summary>
    public sealed record Execute(long CorrelationId, CryptoOperation Operation);

    /// <summary>The outcome of the <see cref="Execute"/> with <paramref name="CorrelationId"/>.</summary>
    public sealed record Executed(long CorrelationId, CryptoResult Result);
}
