namespace SecureActors.Protocol.Identity;

/// <summary>
/// Trusts a server whose fingerprint equals a pinned value (<c>--server-fingerprint</c>).
/// </summary>
public sealed class PinnedServerTrust(string expectedFingerprint) : IServerTrust
{
    /// <inheritdoc />
    public TrustDecision Evaluate(PeerIdentity serverKey)
    {
        ArgumentNullException.ThrowIfNull(serverKey);
        return Fingerprint.AreEqual(serverKey.Fingerprint, expectedFingerprint)
            ? TrustDecision.Accept($"server key matches the pinned fingerprint {expectedFingerprint}")
            : TrustDecision.Reject($"server key {serverKey.Fingerprint} does not match the pinned fingerprint {expectedFingerprint}");
    }
}
