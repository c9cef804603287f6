using SecureActors.Protocol;

namespace SecureActors.Client;

/// <summary>
/// A SAP/1 session failed: the handshake or the session ended with an alert, or the connection broke.
/// Every error the client raises derives from this type.
/// </summary>
public class SecureClientException : Exception
{
    /// <summary>Creates an error with a message only.</summary>
    public SecureClientException()
    {
    }

    /// <summary>Creates an error with a message only.</summary>
    public SecureClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error with a message and a cause.</summary>
    public SecureClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error for a protocol alert.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="alert">The alert that ended the session.</param>
    /// <param name="receivedFromServer">True when the server sent the alert; false when the client detected the fault.</param>
    public SecureClientException(string message, AlertDescription alert, bool receivedFromServer)
        : base(message)
    {
        Alert = alert;
        ReceivedFromServer = receivedFromServer;
    }

    /// <summary>Creates an error for a protocol alert, with its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="alert">The alert that ended the session, if any.</param>
    /// <param name="receivedFromServer">True when the server sent the alert.</param>
    /// <param name="innerException">The cause.</param>
    public SecureClientException(string message, AlertDescription? alert, bool receivedFromServer, Exception? innerException)
        : base(message, innerException)
    {
        Alert = alert;
        ReceivedFromServer = receivedFromServer;
    }

    /// <summary>The alert that ended the session; null when the transport failed without one.</summary>
    public AlertDescription? Alert { get; }

    /// <summary>True when the server sent <see cref="Alert"/>; false when the client raised it.</summary>
    public bool ReceivedFromServer { get; }

    internal static SecureClientException FromFailure(ProtocolFailure failure, string context) =>
        new($"{context}: {failure}", failure.Alert, failure.ReceivedFromPeer);
}
