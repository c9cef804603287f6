namespace SecureActors.Protocol.Crypto;

/// <summary>Record-protection suites, with their TLS 1.3 code points (plus the opt-in classroom suite).</summary>
public enum CipherSuite : ushort
{
    /// <summary>AES-128-GCM with SHA-256 for the key schedule.</summary>
    Aes128GcmSha256 = 0x1301,

    /// <summary>AES-256-GCM with SHA-384 for the key schedule.</summary>
    Aes256GcmSha384 = 0x1302,

    /// <summary>ChaCha20-Poly1305 with SHA-256 for the key schedule.</summary>
    ChaCha20Poly1305Sha256 = 0x1303,

    /// <summary>
    /// The seed projects' toy algorithms, reproduced for teaching. Insecure by design: negotiated
    /// only when both sides enable it, and every use raises a warning.
    /// </summary>
    Classroom = 0xFFC1,
}
