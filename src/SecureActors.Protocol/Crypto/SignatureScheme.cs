namespace SecureActors.Protocol.Crypto;

/// <summary>Signature schemes (TLS code points): RSA-PSS with MGF1 on the same hash and salt = digest length.</summary>
public enum SignatureScheme : ushort
{
    /// <summary>RSA-PSS with SHA-256.</summary>
    RsaPssRsaeSha256 = 0x0804,

    /// <summary>RSA-PSS with SHA-384.</summary>
    RsaPssRsaeSha384 = 0x0805,

    /// <summary>RSA-PSS with SHA-512.</summary>
    RsaPssRsaeSha512 = 0x0806,
}
