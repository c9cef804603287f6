using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Handshake;

/// <summary>RSA-PSS signature over the handshake transcript (≈ 0.25 ms at 2048 bits, 1.6 ms at 3072).</summary>
public sealed class SignOperation : IdentitySignatureOperation
{
    private readonly byte[] _content;

    internal SignOperation(LocalIdentity identity, SignatureScheme scheme, byte[] content)
        : base(identity, scheme)
    {
        _content = content;
    }

    /// <inheritdoc />
    public override CryptoOperationKind Kind => CryptoOperationKind.Sign;

    private protected override CryptoResult ExecuteCore(RSA? signer) => new(this, Sign(_content, signer));
}
