namespace SecureActors.Client;

/// <summary>A connect, handshake, request or close did not finish within its configured deadline.</summary>
public sealed class SecureClientTimeoutException : SecureClientException
{
    /// <summary>Creates a timeout error.</summary>
    public SecureClientTimeoutException()
    {
    }

    /// <summary>Creates a timeout error.</summary>
    public SecureClientTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a timeout error with its cause.</summary>
    public SecureClientTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a timeout error naming the operation and its deadline.</summary>
    public SecureClientTimeoutException(string operation, TimeSpan timeout)
        : base($"{operation} did not complete within {timeout.TotalSeconds:0.###} s")
    {
        Operation = operation;
        Timeout = timeout;
    }

    /// <summary>What timed out: <c>connect</c>, <c>handshake</c>, <c>request</c> or <c>close</c>.</summary>
    public string? Operation { get; }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }
}
