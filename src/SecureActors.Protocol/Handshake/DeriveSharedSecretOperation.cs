using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Validates the peer's share and computes Z with our ephemeral private key, which this operation
/// owns and destroys afterwards (forward secrecy: the private key is gone before the keys are used).
/// </summary>
public sealed class DeriveSharedSecretOperation : CryptoOperation
{
    private readonly EphemeralKeyPair _ownKey;
    private readonly byte[] _peerShare;

    internal DeriveSharedSecretOperation(EphemeralKeyPair ownKey, ReadOnlySpan<byte> peerShare)
    {
        _ownKey = ownKey;
        _peerShare = peerShare.ToArray();
    }

    /// <inheritdoc />
    public override CryptoOperationKind Kind => CryptoOperationKind.DeriveSharedSecret;

    /// <summary>The group of the exchange.</summary>
    public NamedGroup Group => _ownKey.Group;

    private protected override CryptoResult ExecuteCore(RSA? signer)
    {
        var z = _ownKey.DeriveSharedSecretAndErase(_peerShare, out var failure);
        return z is null ? new CryptoResult(this, failure!) : new CryptoResult(this, z);
    }

    private protected override void ReleaseInputs() => _ownKey.Dispose();
}
