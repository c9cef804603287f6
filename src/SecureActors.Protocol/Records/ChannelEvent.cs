namespace SecureActors.Protocol.Records;

/// <summary>What one received record amounted to.</summary>
public enum ChannelEventKind
{
    /// <summary>Nothing for the application (a fragment, a KeyUpdate, an empty record, data after close).</summary>
    None,

    /// <summary>A complete application message.</summary>
    Message,

    /// <summary>The peer sent close_notify: answer with <see cref="SecureChannel.TryWriteClose"/> and close.</summary>
    Closed,

    /// <summary>A fatal failure; the alert (if ours) is already in the output. Close the connection.</summary>
    Failed,
}

/// <summary>
/// The outcome of <see cref="SecureChannel.Receive(System.Span{byte}, System.Buffers.IBufferWriter{byte})"/>.
/// <see cref="Payload"/> points into the channel's (or the caller's) buffer and is valid only until
/// the next call: copy it to keep it.
/// </summary>
public readonly ref struct ChannelEvent
{
    internal ChannelEvent(ChannelEventKind kind, MessageKind messageKind = default, ulong id = 0, bool signed = false, ReadOnlySpan<byte> payload = default, ProtocolFailure? failure = null)
    {
        Kind = kind;
        MessageKind = messageKind;
        Id = id;
        Signed = signed;
        Payload = payload;
        Failure = failure;
    }

    /// <summary>The event kind.</summary>
    public ChannelEventKind Kind { get; }

    /// <summary>Request, reply or push (for <see cref="ChannelEventKind.Message"/>).</summary>
    public MessageKind MessageKind { get; }

    /// <summary>The message id (request id, the request a reply answers, or the push counter).</summary>
    public ulong Id { get; }

    /// <summary>Whether the sender flagged the message as carrying a per-message signature block.</summary>
    public bool Signed { get; }

    /// <summary>The message body; valid until the next call into the channel.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The failure for <see cref="ChannelEventKind.Failed"/>.</summary>
    public ProtocolFailure? Failure { get; }
}
