namespace SecureActors.Client;

/// <summary>
/// The server presented a key different from the one recorded for it (in known_hosts or as the pinned
/// fingerprint): possibly a man-in-the-middle, possibly a re-keyed server. There is no way to continue;
/// remove the old entry deliberately if the change is expected.
/// </summary>
public sealed class ServerKeyChangedException : ServerNotTrustedException
{
    /// <summary>Creates the error.</summary>
    public ServerKeyChangedException()
    {
    }

    /// <summary>Creates the error.</summary>
    public ServerKeyChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ServerKeyChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error showing both fingerprints.</summary>
    /// <param name="host">The <c>host:port</c> the key was recorded for.</param>
    /// <param name="expectedFingerprint">The recorded (old) fingerprint.</param>
    /// <param name="actualFingerprint">The fingerprint the server presented now.</param>
    public ServerKeyChangedException(string host, string expectedFingerprint, string actualFingerprint)
        : base($"the key of {host} has CHANGED: expected {expectedFingerprint}, the server presented {actualFingerprint}. "
            + "Someone may be intercepting the connection; if the server was re-keyed, remove its old entry deliberately.", actualFingerprint)
    {
        Host = host;
        ExpectedFingerprint = expectedFingerprint;
    }

    /// <summary>The <c>host:port</c> the key was recorded for.</summary>
    public string? Host { get; }

    /// <summary>The recorded (old) fingerprint.</summary>
    public string? ExpectedFingerprint { get; }

    /// <summary>The fingerprint the server presented now (same as <see cref="ServerNotTrustedException.ServerFingerprint"/>).</summary>
    public string? ActualFingerprint => ServerFingerprint;
}
