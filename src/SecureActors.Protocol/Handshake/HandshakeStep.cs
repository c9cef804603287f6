namespace SecureActors.Protocol.Handshake;

/// <summary>
/// What a handshake machine wants after one input. Always send <see cref="Output"/> first (it may
/// be non-empty in every status, e.g. the alert of a failure), then act on <see cref="Status"/>.
/// </summary>
public sealed class HandshakeStep
{
    internal HandshakeStep(HandshakeStatus status, ReadOnlyMemory<byte> output, CryptoOperation? operation, HandshakeResult? result, ProtocolFailure? failure)
    {
        Status = status;
        Output = output;
        Operation = operation;
        Result = result;
        Failure = failure;
    }

    /// <summary>The overall status.</summary>
    public HandshakeStatus Status { get; }

    /// <summary>Bytes to write to the transport now, in order (records, and the magic before the first ClientHello).</summary>
    public ReadOnlyMemory<byte> Output { get; }

    /// <summary>A newly issued crypto operation to execute (anywhere) and feed back via <see cref="HandshakeMachine.Complete"/>.</summary>
    public CryptoOperation? Operation { get; }

    /// <summary>The established session when <see cref="Status"/> is <see cref="HandshakeStatus.Complete"/>.</summary>
    public HandshakeResult? Result { get; }

    /// <summary>Why the handshake failed when <see cref="Status"/> is <see cref="HandshakeStatus.Failed"/>.</summary>
    public ProtocolFailure? Failure { get; }
}
