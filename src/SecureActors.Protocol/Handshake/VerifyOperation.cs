using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Imports the peer's SPKI under the strict key policy and verifies its RSA-PSS signature over the
/// transcript (≈ 20–40 µs). Failures: decode_error / bad_certificate for the key, decrypt_error for
/// the signature.
/// </summary>
public sealed class VerifyOperation : CryptoOperation
{
    private readonly byte[] _spki;
    private readonly byte[] _content;
    private readonly byte[] _signature;
    private IPeerKeySource? _keys;

    internal VerifyOperation(byte[] spki, SignatureScheme scheme, byte[] content, byte[] signature)
    {
        _spki = spki;
        Scheme = scheme;
        _content = content;
        _signature = signature;
    }

    /// <inheritdoc />
    public override CryptoOperationKind Kind => CryptoOperationKind.Verify;

    /// <summary>The scheme the peer used.</summary>
    public SignatureScheme Scheme { get; }

    /// <summary>
    /// Runs the operation with the peer's key taken from <paramref name="keys"/> instead of a fresh
    /// import: an executor that sees the same peers again keeps their imports, each costing about
    /// five verifications.
    /// </summary>
    public CryptoResult Execute(IPeerKeySource keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        return Run(null);
    }

    private protected override CryptoResult ExecuteCore(RSA? signer)
    {
        if (_keys is not null)
        {
            return Verify(_keys.KeyFor(_spki, out var failure), failure);
        }

        using var key = RsaKeyPolicy.TryImport(_spki, out var importFailure);
        return Verify(key, importFailure);
    }

    private CryptoResult Verify(RSA? key, ProtocolFailure? importFailure)
    {
        if (key is null)
        {
            return new CryptoResult(this, importFailure!);
        }

        var valid = _signature.Length == (key.KeySize + 7) / 8
            && key.VerifyData(_content, _signature, SignatureSchemes.HashOf(Scheme), RSASignaturePadding.Pss);
        return valid
            ? new CryptoResult(this, (object)true)
            : new CryptoResult(this, new ProtocolFailure(AlertDescription.DecryptError, "signature does not verify"));
    }
}
