namespace SecureActors.Protocol.Identity;

/// <summary>
/// The client's decision whether a server key is the right one (known_hosts, a pinned
/// fingerprint, ...). Called after the server's signature and Finished verified, before the client
/// sends anything; a rejection aborts with bad_certificate.
/// </summary>
public interface IServerTrust
{
    /// <summary>Decides about <paramref name="serverKey"/>; must not throw for an untrusted key.</summary>
    TrustDecision Evaluate(PeerIdentity serverKey);
}

/// <summary>Outcome of a trust check.</summary>
/// <param name="Trusted">Whether the handshake may continue.</param>
/// <param name="Message">What happened, for the user (e.g. both fingerprints on a mismatch).</param>
public sealed record TrustDecision(bool Trusted, string Message)
{
    /// <summary>A positive decision.</summary>
    public static TrustDecision Accept(string message) => new(true, message);

    /// <summary>A negative decision.</summary>
    public static TrustDecision Reject(string message) => new(false, message);
}
