namespace SecureActors.Protocol;

/// <summary>
/// Internal control flow for the handshake parsers: deep inside a message decoder the simplest
/// correct thing is to stop at the first violation. The state machines catch it at their public
/// entry points and turn it into a <see cref="ProtocolFailure"/> value, so it never escapes the
/// library. The record hot path does not use it.
/// </summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(AlertDescription alert, string reason)
        : base(reason)
    {
        Alert = alert;
    }

    public ProtocolViolationException(ProtocolFailure failure)
        : base(failure?.Reason)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Alert = failure.Alert;
        _failure = failure;
    }

    public ProtocolViolationException()
    {
    }

    public ProtocolViolationException(string message)
        : base(message)
    {
    }

    public ProtocolViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AlertDescription Alert { get; } = AlertDescription.InternalError;

    private readonly ProtocolFailure? _failure;

    public ProtocolFailure ToFailure() => _failure ?? new(Alert, Message);
}
