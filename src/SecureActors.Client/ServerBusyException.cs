using SecureActors.Protocol;

namespace SecureActors.Client;

/// <summary>
/// The server is at capacity and refused the connection with the <c>server_busy</c> alert
/// (PROTOCOL.md §4) before any handshake took place. Nothing about this client was wrong and nothing
/// was sent to the application: the error is transient, and the same connection may succeed later.
/// <see cref="SecureClient.ConnectAsync(SecureClientOptions, CancellationToken)"/> retries it by itself
/// (<see cref="SecureClientOptions.BusyRetries"/>) and raises it only once the retries are spent.
/// </summary>
public sealed class ServerBusyException : SecureClientException
{
    /// <summary>Creates the error.</summary>
    public ServerBusyException()
        : this("the server is busy (at capacity); try again later")
    {
    }

    /// <summary>Creates the error.</summary>
    public ServerBusyException(string message)
        : base(message, AlertDescription.ServerBusy, receivedFromServer: true, innerException: null)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ServerBusyException(string message, Exception innerException)
        : base(message, AlertDescription.ServerBusy, receivedFromServer: true, innerException)
    {
    }

    /// <summary>Creates the error for <paramref name="server"/> after <paramref name="attempts"/> refused connections.</summary>
    /// <param name="server">The server's <c>host:port</c>.</param>
    /// <param name="attempts">Connections the server refused, the retries included (at least 1).</param>
    public ServerBusyException(string server, int attempts)
        : this(Describe(server, attempts))
    {
        Server = server;
        Attempts = attempts;
    }

    /// <summary>The server's <c>host:port</c>, when known.</summary>
    public string? Server { get; }

    /// <summary>How many connections the server refused before the client gave up (1 when retries are off).</summary>
    public int Attempts { get; } = 1;

    private static string Describe(string server, int attempts) => attempts > 1
        ? $"server busy: {server} is at capacity and refused the connection {attempts} times (retried with backoff); try again later"
        : $"server busy: {server} is at capacity and refused the connection; try again later";
}
