namespace SecureActors.Client;

/// <summary>
/// The transport failed: the server could not be reached, reset the connection, or closed it without
/// an authenticated close_notify (a truncation, never mistaken for a clean end).
/// </summary>
public sealed class SecureClientConnectionException : SecureClientException
{
    /// <summary>Creates a transport error.</summary>
    public SecureClientConnectionException()
    {
    }

    /// <summary>Creates a transport error.</summary>
    public SecureClientConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a transport error with its cause (typically a <see cref="System.Net.Sockets.SocketException"/>).</summary>
    public SecureClientConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
