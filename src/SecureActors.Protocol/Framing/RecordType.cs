namespace SecureActors.Protocol.Framing;

/// <summary>Outer record types (TLS content-type numbers). Any other value is rejected with unexpected_message.</summary>
public enum RecordType : byte
{
    /// <summary>Plaintext alert; only before the sender has keys.</summary>
    Alert = 0x15,

    /// <summary>Plaintext handshake messages (ClientHello, ServerHello, HelloRetryRequest).</summary>
    Handshake = 0x16,

    /// <summary>AEAD-protected record; its real type is the inner type inside the ciphertext.</summary>
    Protected = 0x17,
}
