using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Protocol.Tests.Wycheproof;

/// <summary>Brief row 33: Wycheproof vectors for every primitive we use, run through our wrappers.</summary>
public sealed class WycheproofTests
{
    [Theory]
    [InlineData("aes_gcm_test.json", false)]
    [InlineData("chacha20_poly1305_test.json", true)]
    public void Aead_Vectors96BitIv128BitTag_AllPass(string file, bool chacha)
    {
        var run = 0;
        foreach (var (group, test) in WycheproofFile.Tests(file))
        {
            // The .NET classes take only 12-byte nonces and we only use 16-byte tags (brief §4).
            if (group.GetProperty("ivSize").GetInt32() != 96 || group.GetProperty("tagSize").GetInt32() != 128)
            {
                continue;
            }

            var key = test.Hex("key");
            var iv = test.Hex("iv");
            var aad = test.Hex("aad");
            var msg = test.Hex("msg");
            var ct = test.Hex("ct");
            var tag = test.Hex("tag");
            using AeadCipher cipher = chacha ? new ChaChaCipher(key) : new AesGcmCipher(key);
            var plain = new byte[ct.Length];
            var opened = cipher.TryDecrypt(iv, ct, tag, plain, aad);
            if (test.Result() == "valid")
            {
                Assert.True(opened, $"tcId {test.Id()}");
                Assert.Equal(msg, plain);
                var sealedCt = new byte[msg.Length];
                var sealedTag = new byte[16];
                cipher.Encrypt(iv, msg, sealedCt, sealedTag, aad);
                Assert.Equal(ct, sealedCt);
                Assert.Equal(tag, sealedTag);
            }
            else
            {
                Assert.False(opened, $"tcId {test.Id()}");
                Assert.All(plain, b => Assert.Equal(0, b));
            }

            run++;
        }

        Assert.True(run > 150, $"only {run} vectors ran");
    }

    [Theory]
    [InlineData("hkdf_sha256_test.json", "SHA256")]
    [InlineData("hkdf_sha384_test.json", "SHA384")]
    public void Hkdf_Vectors_AllValidOnesMatch(string file, string hashName)
    {
        var hash = new HashAlgorithmName(hashName);
        var run = 0;
        foreach (var (_, test) in WycheproofFile.Tests(file))
        {
            var size = test.GetProperty("size").GetInt32();
            if (test.Result() != "valid")
            {
                Assert.ThrowsAny<ArgumentException>(() => HKDF.DeriveKey(hash, test.Hex("ikm"), size, test.Hex("salt"), test.Hex("info")));
                continue;
            }

            var prk = new byte[hashName == "SHA256" ? 32 : 48];
            KeySchedule.Extract(hash, test.Hex("salt"), test.Hex("ikm"), prk);
            var okm = new byte[size];
            HKDF.Expand(hash, prk, okm, test.Hex("info"));
            Assert.Equal(test.Hex("okm"), okm);
            run++;
        }

        Assert.True(run > 50);
    }

    [Theory]
    [InlineData("hmac_sha256_test.json", 32)]
    [InlineData("hmac_sha384_test.json", 48)]
    public void Hmac_Vectors_AllPass(string file, int length)
    {
        var run = 0;
        foreach (var (group, test) in WycheproofFile.Tests(file))
        {
            var tagBytes = group.GetProperty("tagSize").GetInt32() / 8;
            var full = length == 32 ? HMACSHA256.HashData(test.Hex("key"), test.Hex("msg")) : HMACSHA384.HashData(test.Hex("key"), test.Hex("msg"));
            var equal = CryptographicOperations.FixedTimeEquals(full.AsSpan(0, tagBytes), test.Hex("tag"));
            Assert.True(equal == (test.Result() == "valid"), $"tcId {test.Id()}");
            run++;
        }

        Assert.True(run > 50);
    }

    [Theory]
    [InlineData("ecdh_secp256r1_ecpoint_test.json", NamedGroup.Secp256r1)]
    [InlineData("ecdh_secp384r1_ecpoint_test.json", NamedGroup.Secp384r1)]
    public void EcdhSharePolicy_EcpointVectors_ValidUncompressedAgreeEverythingElseRejected(string file, NamedGroup group)
    {
        var run = 0;
        foreach (var (_, test) in WycheproofFile.Tests(file))
        {
            var pub = test.Hex("public");
            using var own = EcdhKeyPair.FromPrivate(group, test.Hex("private"));
            var z = own.DeriveSharedSecret(pub, out var failure);
            var uncompressed = pub.Length > 0 && pub[0] == 0x04;
            if (test.Result() == "valid" && uncompressed)
            {
                Assert.True(z is not null, $"tcId {test.Id()}: {failure}");
                Assert.Equal(test.Hex("shared"), z);
            }
            else if (test.Result() == "invalid" || !uncompressed)
            {
                // Invalid points, and compressed ones (our uncompressed-only policy), are refused.
                Assert.True(z is null, $"tcId {test.Id()}");
                Assert.Equal(AlertDescription.IllegalParameter, failure!.Alert);
            }

            run++;
        }

        Assert.True(run > 300);
    }

    [Theory]
    [InlineData("rsa_pss_2048_sha256_mgf1_32_test.json", SignatureScheme.RsaPssRsaeSha256, true)]
    [InlineData("rsa_pss_3072_sha256_mgf1_32_test.json", SignatureScheme.RsaPssRsaeSha256, true)]
    [InlineData("rsa_pss_4096_sha256_mgf1_32_test.json", SignatureScheme.RsaPssRsaeSha256, true)]
    [InlineData("rsa_pss_2048_sha384_mgf1_48_test.json", SignatureScheme.RsaPssRsaeSha384, true)]
    [InlineData("rsa_pss_4096_sha512_mgf1_64_test.json", SignatureScheme.RsaPssRsaeSha512, true)]
    [InlineData("rsa_pss_2048_sha256_mgf1_0_test.json", SignatureScheme.RsaPssRsaeSha256, false)]
    public void RsaPss_Vectors_ThroughVerifyOperation(string file, SignatureScheme scheme, bool saltIsHashLength)
    {
        var run = 0;
        foreach (var (group, test) in WycheproofFile.Tests(file))
        {
            var spki = group.Hex("publicKeyDer");
            var result = new VerifyOperation(spki, scheme, test.Hex("msg"), test.Hex("sig")).Execute();
            if (!saltIsHashLength)
            {
                // Salt length 0 is not our scheme: every genuine salt-0 signature must be refused.
                // (Its "invalid" vectors include salt-32 signatures, which our policy rightly accepts.)
                if (test.Result() == "valid")
                {
                    Assert.False(result.Succeeded, $"tcId {test.Id()}");
                }
            }
            else if (test.Result() == "valid")
            {
                Assert.True(result.Succeeded, $"tcId {test.Id()}: {result.Failure}");
            }
            else if (test.Result() == "invalid")
            {
                Assert.False(result.Succeeded, $"tcId {test.Id()}");
            }

            run++;
        }

        Assert.True(run > 20);
    }
}
