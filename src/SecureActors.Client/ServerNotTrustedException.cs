using SecureActors.Protocol;

namespace SecureActors.Client;

/// <summary>
/// The server proved possession of its key, but the key is not trusted (unknown under strict
/// known_hosts, or not the pinned fingerprint). The client sent bad_certificate and no data.
/// </summary>
public class ServerNotTrustedException : SecureClientException
{
    /// <summary>Creates the error.</summary>
    public ServerNotTrustedException()
    {
    }

    /// <summary>Creates the error.</summary>
    public ServerNotTrustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ServerNotTrustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a server key.</summary>
    /// <param name="message">The trust decision's explanation.</param>
    /// <param name="serverFingerprint">The fingerprint the server presented.</param>
    public ServerNotTrustedException(string message, string serverFingerprint)
        : base(message, AlertDescription.BadCertificate, receivedFromServer: false)
    {
        ServerFingerprint = serverFingerprint;
    }

    /// <summary>The <c>SHA256:…</c> fingerprint the server presented.</summary>
    public string? ServerFingerprint { get; }
}
