using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

public sealed class DeriveAndSignOperationTests
{
    private static readonly byte[] Content = "transcript to be signed"u8.ToArray();

    [Fact]
    public void DeriveAndSign_ValidShare_YieldsTheSharedSecretAndAVerifyingSignature()
    {
        var own = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        using var peer = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        var expected = peer.DeriveSharedSecret(own.PublicShare.Span, out _)!;
        var operation = new DeriveAndSignOperation(own, peer.PublicShare.Span, TestKeys.Server, SignatureScheme.RsaPssRsaeSha256, Content);

        var result = operation.Execute();

        Assert.True(result.Succeeded);
        using var value = Assert.IsType<SecretAndSignature>(result.Value);
        Assert.Equal(expected, value.SharedSecret);
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(TestKeys.Server.Spki.Span, out _);
        Assert.True(verifier.VerifyData(Content, value.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void DeriveAndSign_InvalidShare_FailsWithIllegalParameterAndSignsNothing()
    {
        var own = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        var offCurve = own.PublicShare.ToArray();
        offCurve[^1] ^= 1;
        var operation = new DeriveAndSignOperation(own, offCurve, TestKeys.Server, SignatureScheme.RsaPssRsaeSha256, Content);

        var result = operation.Execute();

        Assert.False(result.Succeeded);
        Assert.Equal(AlertDescription.IllegalParameter, result.Failure!.Alert);
        Assert.Null(result.Value);
    }

    [Fact]
    public void DeriveAndSign_WorkerOwnedKey_SignsWithIt()
    {
        var own = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        using var peer = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        using var workerKey = TestKeys.Server.CreateSignerHandle();
        var operation = new DeriveAndSignOperation(own, peer.PublicShare.Span, TestKeys.Server, SignatureScheme.RsaPssRsaeSha256, Content);

        var result = operation.Execute(workerKey);

        using var value = Assert.IsType<SecretAndSignature>(result.Value);
        Assert.Equal(TestKeys.Server.Fingerprint, operation.SignerFingerprint);
        Assert.True(workerKey.VerifyData(Content, value.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void SecretAndSignature_Disposed_ZeroesTheSecret()
    {
        var secret = new byte[] { 1, 2, 3, 4 };
        var value = new SecretAndSignature(secret, [9]);

        value.Dispose();

        Assert.All(secret, b => Assert.Equal(0, b));
    }
}
