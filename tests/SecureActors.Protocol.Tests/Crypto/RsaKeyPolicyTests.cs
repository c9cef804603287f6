using System.Formats.Asn1;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Crypto;

public sealed class RsaKeyPolicyTests
{
    private static byte[] SpkiWith(Func<RSAParameters, RSAParameters> change)
    {
        using var source = RSA.Create();
        source.ImportSubjectPublicKeyInfo(TestKeys.Client.Spki.Span, out _);
        using var rsa = RSA.Create();
        rsa.ImportParameters(change(source.ExportParameters(false)));
        return rsa.ExportSubjectPublicKeyInfo();
    }

    private static byte[] WithExponentOne()
    {
        // OpenSSL refuses to build such a key, so patch the DER of an e = 3 key: it ends 02 01 03.
        var spki = SpkiWith(p => p with { Exponent = [3] });
        Assert.Equal(new byte[] { 0x02, 0x01, 0x03 }, spki[^3..]);
        spki[^1] = 0x01;
        return spki;
    }

    /// <summary>An SPKI written field by field, so each field can be made wrong on its own.</summary>
    private static byte[] HandWrittenSpki(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent, Action<AsnWriter>? algorithmParameters = null, int unusedBits = 0)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteInteger(modulus);
            key.WriteInteger(exponent);
        }

        return HandWrittenSpki(key, algorithmParameters, unusedBits);
    }

    private static byte[] HandWrittenSpki(AsnWriter rsaPublicKey, Action<AsnWriter>? algorithmParameters = null, int unusedBits = 0)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                if (algorithmParameters is null)
                {
                    writer.WriteNull();
                }
                else
                {
                    algorithmParameters(writer);
                }
            }

            var bits = rsaPublicKey.Encode();
            if (unusedBits > 0)
            {
                bits[^1] = 0;
            }

            writer.WriteBitString(bits, unusedBits);
        }

        return writer.Encode();
    }

    /// <summary>The client test key's modulus as a DER INTEGER's content (a leading zero keeps it positive).</summary>
    private static byte[] ClientModulus()
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(TestKeys.Client.Spki.Span, out _);
        return [0x00, .. rsa.ExportParameters(false).Modulus!];
    }

    private static readonly byte[] F4 = [0x01, 0x00, 0x01];

    public static TheoryData<string, byte[], AlertDescription> BadKeys() => new()
    {
        { "negative modulus (the sign byte dropped)", HandWrittenSpki(ClientModulus().AsSpan(1), F4), AlertDescription.BadCertificate },
        { "negative exponent", HandWrittenSpki(ClientModulus(), [0xFF, 0x00, 0x01]), AlertDescription.BadCertificate },
        { "RSA-8192 modulus", HandWrittenSpki([0x00, .. Enumerable.Repeat((byte)0xFF, 1024)], F4), AlertDescription.BadCertificate },
        { "algorithm parameters other than NULL", HandWrittenSpki(ClientModulus(), F4, w => w.WriteInteger(0)), AlertDescription.DecodeError },
        { "algorithm parameters absent", HandWrittenSpki(ClientModulus(), F4, _ => { }), AlertDescription.DecodeError },
        { "key bit string with unused bits", HandWrittenSpki(ClientModulus(), F4, unusedBits: 1), AlertDescription.DecodeError },
        { "a third INTEGER in RSAPublicKey", WithThirdInteger(), AlertDescription.DecodeError },
        { "RSA-1024", TestKeys.Weak1024.ExportSubjectPublicKeyInfo(), AlertDescription.BadCertificate },
        { "e = 3", SpkiWith(p => p with { Exponent = [3] }), AlertDescription.BadCertificate },
        { "e = 1", WithExponentOne(), AlertDescription.BadCertificate },
        { "even n", SpkiWith(p => { var n = (byte[])p.Modulus!.Clone(); n[^1] &= 0xFE; return p with { Modulus = n }; }), AlertDescription.BadCertificate },
        { "trailing DER junk", [.. TestKeys.Client.Spki.ToArray(), 0x00], AlertDescription.DecodeError },
        { "not DER", [1, 2, 3], AlertDescription.DecodeError },
        { "empty", [], AlertDescription.DecodeError },
        { "EC key", ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfo(), AlertDescription.DecodeError },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void TryImport_BadKey_ExactAlert(string what, byte[] spki, AlertDescription expected)
    {
        using var rsa = RsaKeyPolicy.TryImport(spki, out var failure);

        Assert.Null(rsa);
        Assert.True(failure is not null, what);
        Assert.True(expected == failure.Alert, $"{what}: {failure}");
    }

    private static byte[] WithThirdInteger()
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteInteger(ClientModulus());
            key.WriteInteger(F4);
            key.WriteInteger(1);
        }

        return HandWrittenSpki(key);
    }

    [Fact]
    public void TryImport_HandWrittenSpki_SameKeyAsThePlatformEncoding()
    {
        var content = new byte[] { 4, 2 };
        var signature = TestKeys.Client.Sign(content, HashAlgorithmName.SHA256);
        var handWritten = HandWrittenSpki(ClientModulus(), F4);

        using var rsa = RsaKeyPolicy.TryImport(handWritten, out var failure);

        Assert.Null(failure);
        Assert.Equal(TestKeys.Client.Spki.ToArray(), handWritten);
        Assert.True(rsa!.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void TryImport_MutatedSpki_RefusesWithADecodeOrKeyAlertOrImportsExactlyTheKeyItChecked()
    {
        var random = new Random(20261205);
        var original = TestKeys.Client.Spki.ToArray();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 3000; i++)
        {
            var spki = Mutate(original, random);

            using var rsa = RsaKeyPolicy.TryImport(spki, out var failure);

            if (rsa is null)
            {
                Assert.True(failure!.Alert is AlertDescription.DecodeError or AlertDescription.BadCertificate, $"{Convert.ToHexString(spki)}: {failure}");
                outcomes[failure.Alert.ToString()] = outcomes.GetValueOrDefault(failure.Alert.ToString()) + 1;
                continue;
            }

            // What the platform imported is what the policy read and passed.
            var imported = rsa.ExportParameters(false);
            Assert.Null(RsaKeyPolicy.CheckParameters(imported.Modulus!, imported.Exponent!));
            Assert.Equal(spki, rsa.ExportSubjectPublicKeyInfo());
            outcomes["accepted"] = outcomes.GetValueOrDefault("accepted") + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("DecodeError") > 0 && outcomes.GetValueOrDefault("BadCertificate") > 0 && outcomes.GetValueOrDefault("accepted") > 0,
            string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>One to three byte flips, a truncation or an inserted byte.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        switch (random.Next(4))
        {
            case 0:
                bytes.RemoveRange(random.Next(bytes.Count), 1);
                break;
            case 1:
                bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                break;
            case 2:
                // The modulus is most of the key: flips there make well-formed keys the policy must judge.
                bytes[random.Next(bytes.Count - 40, bytes.Count - 5)] ^= (byte)(1 << random.Next(8));
                break;
            default:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                }

                break;
        }

        return [.. bytes];
    }

    [Fact]
    public void TryImport_Rsa4096_Accepted()
    {
        using var rsa = RsaKeyPolicy.TryImport(TestKeys.Server4096.Spki.Span, out var failure);

        Assert.NotNull(rsa);
        Assert.Null(failure);
    }

    [Fact]
    public void Verify_Pkcs1v15Signature_DecryptError()
    {
        var content = new byte[] { 1, 2, 3 };
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(string.Concat(TestKeys.Client.ExportPkcs8Pem().Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))), out _);
        var pkcs1 = rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, content, pkcs1).Execute();

        Assert.Equal(AlertDescription.DecryptError, result.Failure!.Alert);
    }

    [Theory]
    [InlineData(SignatureScheme.RsaPssRsaeSha256)]
    [InlineData(SignatureScheme.RsaPssRsaeSha384)]
    [InlineData(SignatureScheme.RsaPssRsaeSha512)]
    public void Verify_PssSignatureAnotherHashVerifier_DecryptError(SignatureScheme scheme)
    {
        var content = new byte[] { 9 };
        var signature = TestKeys.Client.Sign(content, HashAlgorithmName.SHA256);
        var ok = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, content, signature).Execute();

        var result = new VerifyOperation(TestKeys.Client.Spki.ToArray(), scheme, content, signature).Execute();

        Assert.True(ok.Succeeded);
        Assert.Equal(scheme == SignatureScheme.RsaPssRsaeSha256, result.Succeeded);
    }

    [Fact]
    public void Verify_TruncatedSignature_DecryptError()
    {
        var content = new byte[] { 9 };
        var signature = TestKeys.Client.Sign(content, HashAlgorithmName.SHA256);

        var result = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, content, signature[1..]).Execute();

        Assert.Equal(AlertDescription.DecryptError, result.Failure!.Alert);
    }
    /// <summary>A source that hands out one key it owns, or a refusal, and counts the requests.</summary>
    private sealed class OneKeySource(RSA? key, ProtocolFailure? refusal = null) : IPeerKeySource
    {
        public int Requests { get; private set; }

        public RSA? KeyFor(ReadOnlySpan<byte> spki, out ProtocolFailure? failure)
        {
            Requests++;
            failure = refusal;
            return key;
        }
    }

    [Fact]
    public void Verify_KeyFromSource_VerifiesAndLeavesTheKeyToTheSource()
    {
        var content = new byte[] { 7 };
        var signature = TestKeys.Client.Sign(content, HashAlgorithmName.SHA256);
        using var key = RsaKeyPolicy.TryImport(TestKeys.Client.Spki.Span, out _);
        var source = new OneKeySource(key);

        var first = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, content, signature).Execute(source);
        var second = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, content, signature).Execute(source);
        var forged = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, [8], signature).Execute(source);

        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        Assert.Equal(AlertDescription.DecryptError, forged.Failure!.Alert);
        Assert.Equal(3, source.Requests);
        Assert.True(key!.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void Verify_SourceRefusesTheKey_ItsAlert()
    {
        var refusal = new ProtocolFailure(AlertDescription.BadCertificate, "refused for the test");

        var result = new VerifyOperation(TestKeys.Client.Spki.ToArray(), SignatureScheme.RsaPssRsaeSha256, [1], new byte[256]).Execute(new OneKeySource(null, refusal));

        Assert.Same(refusal, result.Failure);
    }
}
