namespace SecureActors.Protocol.Framing;

/// <summary>Size limits of the framing layer, fixed by the SAP/1 wire format (PROTOCOL.md §3).</summary>
public static class FrameLimits
{
    /// <summary>Bytes in a record header: type u8 ‖ length u16.</summary>
    public const int HeaderLength = 3;

    /// <summary>Largest application content carried by one record (2^14).</summary>
    public const int MaxContent = 16384;

    /// <summary>Largest plaintext record body (handshake or alert records).</summary>
    public const int MaxPlaintextRecord = MaxContent;

    /// <summary>AEAD tag length of every SAP/1 suite.</summary>
    public const int TagLength = 16;

    /// <summary>Largest protected record body: content + inner type byte + tag (2^14 + 17).</summary>
    public const int MaxProtectedRecord = MaxContent + 1 + TagLength;

    /// <summary>Largest whole record on the wire, header included.</summary>
    public const int MaxRecordOnWire = HeaderLength + MaxProtectedRecord;

    /// <summary>Largest handshake message body (8 KiB).</summary>
    public const int MaxHandshakeMessage = 8192;

    /// <summary>Bytes in a handshake message header: type u8 ‖ length u16.</summary>
    public const int HandshakeHeaderLength = 3;
}
