using SecureActors.Protocol;

namespace SecureActors.Client;

/// <summary>
/// A reply or push from the server failed its per-message signature check (PROTOCOL.md §12): it was
/// unsigned, its signature block was malformed, its counter did not increase, or its signature did
/// not verify against the server's key for this session. The client sent the alert in
/// <see cref="SecureClientException.Alert"/> and ended the session; the message was not delivered.
/// </summary>
public sealed class MessageSignatureException : SecureClientException
{
    /// <summary>Creates the error.</summary>
    public MessageSignatureException()
    {
    }

    /// <summary>Creates the error.</summary>
    public MessageSignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public MessageSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for the alert the client sent.</summary>
    /// <param name="message">What failed (names the message, never key material).</param>
    /// <param name="alert">The alert sent to the server.</param>
    public MessageSignatureException(string message, AlertDescription alert)
        : base(message, alert, receivedFromServer: false)
    {
    }
}
