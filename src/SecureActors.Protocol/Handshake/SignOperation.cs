using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// RSA-PSS signature over the handshake transcript (≈ 0.25 ms at 2048 bits, 1.6 ms at 3072). A
/// crypto worker that owns its own key handle calls <see cref="Execute(RSA)"/>; it can pick the
/// right handle by <see cref="SignerFingerprint"/>.
/// </summary>
public sealed class SignOperation : CryptoOperation
{
    private readonly LocalIdentity _identity;
    private readonly byte[] _content;

    internal SignOperation(LocalIdentity identity, SignatureScheme scheme, byte[] content)
    {
        _identity = identity;
        Scheme = scheme;
        _content = content;
    }

    /// <inheritdoc />
    public override CryptoOperationKind Kind => CryptoOperationKind.Sign;

    /// <summary>The negotiated scheme.</summary>
    public SignatureScheme Scheme { get; }

    /// <summary>Fingerprint of the key that must sign.</summary>
    public string SignerFingerprint => _identity.Fingerprint;

    /// <summary>Signs with an executor-owned private key handle for <see cref="SignerFingerprint"/>.</summary>
    public CryptoResult Execute(RSA signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return Run(signer);
    }

    private protected override CryptoResult ExecuteCore(RSA? signer)
    {
        var hash = SignatureSchemes.HashOf(Scheme);
        var signature = signer is null
            ? _identity.Sign(_content, hash)
            : signer.SignData(_content, hash, RSASignaturePadding.Pss);
        return new CryptoResult(this, signature);
    }
}
