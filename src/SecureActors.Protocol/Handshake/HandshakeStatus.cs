namespace SecureActors.Protocol.Handshake;

/// <summary>Where a handshake stands after a step.</summary>
public enum HandshakeStatus
{
    /// <summary>Send <see cref="HandshakeStep.Output"/>, then feed the next frame.</summary>
    NeedInput,

    /// <summary>A crypto operation is outstanding: execute <see cref="HandshakeStep.Operation"/> (when non-null) and feed its result back; frames may still be fed meanwhile (they are buffered).</summary>
    AwaitingCrypto,

    /// <summary>The handshake succeeded: send the output, then use <see cref="HandshakeStep.Result"/>.</summary>
    Complete,

    /// <summary>The handshake failed: send the output (the alert, if any) and close.</summary>
    Failed,
}
