namespace SecureActors.Protocol.Records;

/// <summary>The inner content type carried inside a protected record's plaintext.</summary>
public enum ContentType : byte
{
    /// <summary>An alert (close_notify or fatal).</summary>
    Alert = 0x15,

    /// <summary>Handshake messages: the encrypted handshake flight, and KeyUpdate.</summary>
    Handshake = 0x16,

    /// <summary>Application message fragments.</summary>
    ApplicationData = 0x17,
}
