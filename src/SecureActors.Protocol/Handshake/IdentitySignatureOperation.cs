using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// An operation that signs with our identity key. A crypto worker that owns its own handle to that
/// key (picked by <see cref="SignerFingerprint"/>) calls <see cref="Execute(RSA)"/>, so no RSA object
/// is shared across threads; <see cref="CryptoOperation.Execute()"/> signs through the identity itself.
/// </summary>
public abstract class IdentitySignatureOperation : CryptoOperation
{
    private readonly LocalIdentity _identity;

    private protected IdentitySignatureOperation(LocalIdentity identity, SignatureScheme scheme)
    {
        _identity = identity;
        Scheme = scheme;
    }

    /// <summary>The negotiated scheme.</summary>
    public SignatureScheme Scheme { get; }

    /// <summary>Fingerprint of the key that must sign.</summary>
    public string SignerFingerprint => _identity.Fingerprint;

    /// <summary>Runs the operation, signing with an executor-owned private key handle for <see cref="SignerFingerprint"/>.</summary>
    public CryptoResult Execute(RSA signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return Run(signer);
    }

    /// <summary>RSA-PSS over <paramref name="content"/> with the executor's handle, or the identity's own when none was given.</summary>
    private protected byte[] Sign(byte[] content, RSA? signer)
    {
        var hash = SignatureSchemes.HashOf(Scheme);
        return signer is null ? _identity.Sign(content, hash) : signer.SignData(content, hash, RSASignaturePadding.Pss);
    }
}
