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

    /// <summary>
    /// INSECURE: the seed projects' 16-bit Diffie-Hellman (P = 65521, G = 3), for the classroom
    /// suite only. Never listed in <see cref="ProtocolOptions.Groups"/>; it is offered and
    /// accepted only together with <see cref="CipherSuite.Classroom"/> when
    /// <see cref="ProtocolOptions.EnableClassroom"/> is set on both sides.
    /// </summary>
    Classroom = 0xFFC1,
}
