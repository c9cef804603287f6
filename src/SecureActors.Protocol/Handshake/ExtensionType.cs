namespace SecureActors.Protocol.Handshake;

/// <summary>Extensions defined by SAP/1. Unknown types are ignored; duplicates are illegal_parameter.</summary>
internal enum ExtensionType : ushort
{
    /// <summary>ClientHello: u32, the largest application message the client accepts.</summary>
    MaxMessageSize = 0x0001,

    /// <summary>ClientHello: empty; the client offers per-message signatures.</summary>
    MessageSignatures = 0x0002,

    /// <summary>ClientHello: empty; the client offers message batching. ServerParams: empty; the server accepts it.</summary>
    MessageBatching = 0x0003,
}
