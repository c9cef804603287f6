using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// The server's whole remaining share of the exchange in one trip to a crypto worker: validate the
/// client's share and compute Z with our ephemeral private key (owned here and destroyed afterwards),
/// then sign the transcript. The signed content covers ServerHello, ServerParams and Identity, none
/// of which depends on Z, so the two need not wait for each other; one round trip fewer per
/// handshake. A share that fails validation is refused before anything is signed.
/// </summary>
public sealed class DeriveAndSignOperation : IdentitySignatureOperation
{
    private readonly EphemeralKeyPair _ownKey;
    private readonly byte[] _peerShare;
    private readonly byte[] _content;

    internal DeriveAndSignOperation(EphemeralKeyPair ownKey, ReadOnlySpan<byte> peerShare, LocalIdentity identity, SignatureScheme scheme, byte[] content)
        : base(identity, scheme)
    {
        _ownKey = ownKey;
        _peerShare = peerShare.ToArray();
        _content = content;
    }

    /// <inheritdoc />
    public override CryptoOperationKind Kind => CryptoOperationKind.DeriveAndSign;

    /// <summary>The group of the exchange.</summary>
    public NamedGroup Group => _ownKey.Group;

    private protected override CryptoResult ExecuteCore(RSA? signer)
    {
        var z = _ownKey.DeriveSharedSecretAndErase(_peerShare, out var failure);
        if (z is null)
        {
            return new CryptoResult(this, failure!);
        }

        try
        {
            return new CryptoResult(this, new SecretAndSignature(z, Sign(_content, signer)));
        }
        catch
        {
            CryptographicOperations.ZeroMemory(z);
            throw;
        }
    }

    private protected override void ReleaseInputs() => _ownKey.Dispose();
}

/// <summary>What <see cref="DeriveAndSignOperation"/> yields: Z (erased on dispose) and the signature.</summary>
internal sealed class SecretAndSignature(byte[] sharedSecret, byte[] signature) : IDisposable
{
    public byte[] SharedSecret { get; } = sharedSecret;

    public byte[] Signature { get; } = signature;

    public void Dispose() => CryptographicOperations.ZeroMemory(SharedSecret);
}
