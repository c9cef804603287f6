using System.Security.Cryptography;

namespace SecureActors.Protocol.Identity;

/// <summary>
/// Our own long-term RSA key: the private key for signing and its SPKI and fingerprint. Signing
/// through <see cref="Sign"/> is serialised, so one instance may be shared by threads; crypto
/// workers that want no lock hold their own <see cref="RSA"/> loaded from the same key file.
/// </summary>
public sealed class LocalIdentity : IDisposable
{
    private readonly RSA _key;
    private readonly Lock _gate = new();

    /// <summary>Wraps an RSA private key (this object takes ownership of it).</summary>
    public LocalIdentity(RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        _key = privateKey;
        Spki = privateKey.ExportSubjectPublicKeyInfo();
        Fingerprint = Identity.Fingerprint.Of(Spki.Span);
        KeySizeBits = privateKey.KeySize;
    }

    /// <summary>Our DER SubjectPublicKeyInfo, as sent in the Identity message.</summary>
    public ReadOnlyMemory<byte> Spki { get; }

    /// <summary><c>SHA256:…</c> fingerprint of <see cref="Spki"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>Modulus size in bits.</summary>
    public int KeySizeBits { get; }

    /// <summary>Generates a fresh key (2048..4096 bits).</summary>
    public static LocalIdentity Generate(int bits = 3072)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 2048);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 4096);
        return new LocalIdentity(RSA.Create(bits));
    }

    /// <summary>Exports the private key as PKCS#8 PEM.</summary>
    public string ExportPkcs8Pem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A new, independent RSA handle for the same key (for a crypto worker to own).</summary>
    public RSA CreateSignerHandle()
    {
        var copy = RSA.Create();
        var pkcs8 = _key.ExportPkcs8PrivateKey();
        try
        {
            copy.ImportPkcs8PrivateKey(pkcs8, out _);
            return copy;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>RSA-PSS signature over <paramref name="content"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> content, HashAlgorithmName hash)
    {
        lock (_gate)
        {
            return _key.SignData(content, hash, RSASignaturePadding.Pss);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
