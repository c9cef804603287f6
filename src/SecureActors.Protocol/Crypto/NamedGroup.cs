namespace SecureActors.Protocol.Crypto;

/// <summary>Key-exchange groups, with their TLS code points.</summary>
public enum NamedGroup : ushort
{
    /// <summary>ECDHE over NIST P-256 (the default).</summary>
    Secp256r1 = 0x0017,

    /// <summary>ECDHE over NIST P-384.</summary>
    Secp384r1 = 0x0018,

    /// <summary>RFC 7919 ffdhe2048; off by default (managed, variable-time, ~10× dearer).</summary>
    Ffdhe2048 = 0x0100,

    /// <summary>RFC 7919 ffdhe3072; off by default.</summary>
    Ffdhe3072 = 0x0101,
}
