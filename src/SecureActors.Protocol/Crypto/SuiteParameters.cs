using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>What a suite means for the key schedule and the record layer.</summary>
internal sealed class SuiteParameters
{
    private SuiteParameters(CipherSuite suite, HashAlgorithmName hash, int hashLength, int keyLength)
    {
        Suite = suite;
        Hash = hash;
        HashLength = hashLength;
        KeyLength = keyLength;
    }

    public const int IvLength = 12;

    public CipherSuite Suite { get; }

    public HashAlgorithmName Hash { get; }

    public int HashLength { get; }

    public int KeyLength { get; }

    public static SuiteParameters For(CipherSuite suite) => suite switch
    {
        CipherSuite.Aes128GcmSha256 => Aes128,
        CipherSuite.Aes256GcmSha384 => Aes256,
        CipherSuite.ChaCha20Poly1305Sha256 => ChaCha,
        CipherSuite.Classroom => ClassroomToy,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "not an AEAD suite"),
    };

    public static bool IsAead(CipherSuite suite) =>
        suite is CipherSuite.Aes128GcmSha256 or CipherSuite.Aes256GcmSha384 or CipherSuite.ChaCha20Poly1305Sha256;

    public AeadCipher CreateCipher(ReadOnlySpan<byte> key, Action<string>? securityWarning = null) => Suite switch
    {
        CipherSuite.ChaCha20Poly1305Sha256 => new ChaChaCipher(key),
        CipherSuite.Classroom => new Classroom.ClassroomRecordCipher(key, securityWarning),
        _ => new AesGcmCipher(key),
    };

    private static readonly SuiteParameters Aes128 = new(CipherSuite.Aes128GcmSha256, HashAlgorithmName.SHA256, 32, 16);
    private static readonly SuiteParameters Aes256 = new(CipherSuite.Aes256GcmSha384, HashAlgorithmName.SHA384, 48, 32);
    // INSECURE (PROTOCOL.md §13): the key schedule still runs on SHA-256, but Z has 16 bits and the
    // record "AEAD" is the seeds' toy cipher and MAC keyed by 6 bytes of key material.
    private static readonly SuiteParameters ClassroomToy = new(CipherSuite.Classroom, HashAlgorithmName.SHA256, 32, Classroom.ClassroomRecordCipher.KeyMaterialLength);
    private static readonly SuiteParameters ChaCha = new(CipherSuite.ChaCha20Poly1305Sha256, HashAlgorithmName.SHA256, 32, 32);
}
