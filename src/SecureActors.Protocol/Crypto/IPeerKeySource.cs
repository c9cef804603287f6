using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// Peer keys imported under <see cref="RsaKeyPolicy"/> by an executor that keeps them between
/// operations, such as a crypto worker's cache. The source owns every key it returns: the caller
/// uses it for one operation on the source's thread and never disposes it.
/// </summary>
public interface IPeerKeySource
{
    /// <summary>The imported key for <paramref name="spki"/>; null, with the alert to send, when the policy refuses it.</summary>
    RSA? KeyFor(ReadOnlySpan<byte> spki, out ProtocolFailure? failure);
}
