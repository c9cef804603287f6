namespace SecureActors.Protocol;

/// <summary>
/// Alert codes of SAP/1. The numbers are the TLS 1.3 ones (RFC 8446 §6) so that packet captures
/// read familiarly, except <see cref="ServerBusy"/>, which TLS has no equivalent for; every alert
/// except <see cref="CloseNotify"/> is fatal (PROTOCOL.md §4).
/// </summary>
public enum AlertDescription : byte
{
    /// <summary>Authenticated end of the connection (the <c>EXIT</c> command).</summary>
    CloseNotify = 0,

    /// <summary>A message or record arrived in a state that does not expect it.</summary>
    UnexpectedMessage = 10,

    /// <summary>Any AEAD failure: wrong key, replayed, reordered, reflected or altered record.</summary>
    BadRecordMac = 20,

    /// <summary>A record or application message exceeds its size limit.</summary>
    RecordOverflow = 22,

    /// <summary>The peers have no suite, group or signature scheme in common.</summary>
    HandshakeFailure = 40,

    /// <summary>A weak or malformed RSA key, or a pinned-key mismatch.</summary>
    BadCertificate = 42,

    /// <summary>A syntactically valid field holds a forbidden value (bad share, enum, duplicate, sentinel).</summary>
    IllegalParameter = 47,

    /// <summary>The client's key is not authorised.</summary>
    AccessDenied = 49,

    /// <summary>A message cannot be parsed: bad lengths, trailing bytes, list over its cap.</summary>
    DecodeError = 50,

    /// <summary>A signature or Finished check failed.</summary>
    DecryptError = 51,

    /// <summary>No protocol version in common.</summary>
    ProtocolVersion = 70,

    /// <summary>The sender hit a local fault unrelated to the peer's input.</summary>
    InternalError = 80,

    /// <summary>The server requires a client identity and the client sent none.</summary>
    CertificateRequired = 116,

    /// <summary>
    /// SAP/1's own code: the server is at capacity and refused the connection before its handshake
    /// began; nothing about the client was wrong, and it may retry later. Sent in plaintext as the
    /// server's first and only record. Outside TLS's numbers so no TLS meaning can be read into it.
    /// </summary>
    ServerBusy = 240,
}
