using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>
/// Catalogue rows about the client's identity (12 skipping, 20 reflected signature, 21–23, 31, 32)
/// against a server that requires client authentication; the coverage table is in
/// <see cref="HostileCatalogueTests"/>. Alice is authorised, Mallory is not.
/// </summary>
public sealed class HostileClientAuthTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private static ProtocolBugs AsAlice => ProtocolBugs.None with { ClientKey = AuthServerFixture.Alice };

    [Fact]
    public Task Server_ListedClientKey_HandshakeCompletesAndEchoes() => ChainAsync(async () =>
    {
        await using var peer = await HostilePeer.EstablishAsync(fixture.Endpoint, AsAlice);
        Assert.Equal(2, peer.ClientAuth);

        await peer.EchoAsync("alice here");
        await peer.CloseAsync();
    });

    [Fact]
    public Task Server_FinishedWithoutSignature_UnexpectedMessage() =>
        FlightRefusedAsync(AsAlice with { SkipSignature = true }, AlertDescription.UnexpectedMessage);

    [Fact]
    public Task Server_ServerSignatureReusedAsTheClients_DecryptError() => ChainAsync(async () =>
    {
        await using var peer = await ToServerFlightAsync(AsAlice);
        peer.Bugs = peer.Bugs with { IdentitySpki = peer.ServerSpki, SignatureBytes = peer.ServerSignature };

        await peer.SendClientFlightAsync();

        await peer.ExpectAlertAsync(AlertDescription.DecryptError, expectProtected: true);
    });

    [Fact]
    public Task Server_UnlistedClientKey_AccessDeniedAndFingerprintLogged() => ChainAsync(async () =>
    {
        await using var peer = await ToServerFlightAsync(ProtocolBugs.None with { ClientKey = AuthServerFixture.Mallory });

        await peer.SendClientFlightAsync();

        await peer.ExpectAlertAsync(AlertDescription.AccessDenied, expectProtected: true);
        var fingerprint = Fingerprint.Of(AuthServerFixture.Mallory.ExportSubjectPublicKeyInfo());
        await fixture.AwaitLogAsync(peer.LocalEndpoint, m => m.Contains(fingerprint, StringComparison.Ordinal));
    });

    [Fact]
    public Task Server_GarbageAfterCloseNotifyWhileTheClientSignatureIsVerified_DroppedAndTheSessionClosesCleanly() => ChainAsync(async () =>
    {
        await using var peer = await ToServerFlightAsync(AsAlice);
        var flight = peer.BuildClientFlight();
        var closeNotify = peer.Send!.Seal([1, 0], 0x15);

        // One write: the server still verifies the signature when the stray byte fails to frame (PROTOCOL.md §8.6).
        await peer.SendAsync([.. flight, .. closeNotify, 0x18]);

        await peer.ExpectAlertAsync(AlertDescription.CloseNotify, expectProtected: true);
    });

    [Fact]
    public Task Server_SignatureFromAnotherKey_DecryptError() =>
        FlightRefusedAsync(AsAlice with { SignWith = AuthServerFixture.Mallory }, AlertDescription.DecryptError);

    [Fact]
    public Task Server_EmptyIdentityWhenRequired_CertificateRequired() =>
        FlightRefusedAsync(ProtocolBugs.None, AlertDescription.CertificateRequired);

    [Fact]
    public Task Server_EmptyIdentityWhenOptional_AnonymousSessionEchoes() => ChainAsync(async () =>
    {
        await using var peer = await HostilePeer.EstablishAsync(fixture.Optional.Endpoint);
        Assert.Equal(1, peer.ClientAuth);

        await peer.EchoAsync("nobody in particular");
        await peer.CloseAsync();
    });

    public static TheoryData<string> KeyPolicyViolations => ["rsa-1024", "e=3", "e=1", "even-n"];

    [Theory]
    [MemberData(nameof(KeyPolicyViolations))]
    public Task Server_ClientKeyViolatesPolicy_BadCertificate(string violation)
    {
        var modulus = AuthServerFixture.Alice.ExportParameters(false).Modulus!;
        var bugs = violation switch
        {
            "rsa-1024" => AsAlice with { ClientKey = Weak.Value },
            "e=3" => AsAlice with { IdentitySpki = Spki(modulus, [3]) },
            "e=1" => AsAlice with { IdentitySpki = Spki(modulus, [1]) },
            _ => AsAlice with { IdentitySpki = Spki([.. modulus[..^1], (byte)(modulus[^1] & 0xFE)], [1, 0, 1]) },
        };
        return FlightRefusedAsync(bugs, AlertDescription.BadCertificate);
    }

    [Fact]
    public Task Server_ClientSpkiWithTrailingJunk_DecodeError() =>
        FlightRefusedAsync(AsAlice with { IdentitySpki = [.. AuthServerFixture.Alice.ExportSubjectPublicKeyInfo(), 0x00] }, AlertDescription.DecodeError);

    public static TheoryData<string> SignatureDefects => ["pkcs1-v1.5", "pss-salt-0", "pss-sha384-as-sha256"];

    [Theory]
    [MemberData(nameof(SignatureDefects))]
    public Task Server_ClientSignatureMalformed_DecryptError(string defect)
    {
        Func<RSA, byte[], byte[]> signer = defect switch
        {
            "pkcs1-v1.5" => (key, content) => key.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "pss-salt-0" => PssSaltZeroSha256,
            _ => (key, content) => key.SignData(content, HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
        };
        return FlightRefusedAsync(AsAlice with { Signer = signer }, AlertDescription.DecryptError);
    }

    [Fact]
    public Task Server_ClientSignatureSchemeNotOffered_IllegalParameter() => FlightRefusedAsync(
        AsAlice with { SignatureScheme = 0x0401, Signer = (key, content) => key.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) },
        AlertDescription.IllegalParameter);

    private static readonly Lazy<RSA> Weak = new(() => RSA.Create(1024));

    private async Task ChainAsync(Func<Task> attack)
    {
        await SanityAsync("before");
        await attack();
        await SanityAsync("after");
        await fixture.Bystander.AssertUnharmedAsync();
    }

    private async Task SanityAsync(string tag)
    {
        await using var peer = await HostilePeer.EstablishAsync(fixture.Endpoint, AsAlice);
        await peer.EchoAsync($"sanity {tag}");
        await peer.CloseAsync();
    }

    private async Task<HostilePeer> ToServerFlightAsync(ProtocolBugs bugs)
    {
        var peer = await HostilePeer.ConnectAsync(fixture.Endpoint, bugs);
        await peer.SendClientHelloAsync();
        Assert.Equal(ServerHelloKind.ServerHello, await peer.ReadServerHelloAsync());
        await peer.ReadServerFlightAsync();
        return peer;
    }

    private Task FlightRefusedAsync(ProtocolBugs bugs, AlertDescription expected) => ChainAsync(async () =>
    {
        await using var peer = await ToServerFlightAsync(bugs);

        await peer.SendClientFlightAsync();

        await peer.ExpectAlertAsync(expected, expectProtected: true);
    });

    /// <summary>DER SubjectPublicKeyInfo (rsaEncryption) for an arbitrary modulus and exponent, bypassing any key checks.</summary>
    private static byte[] Spki(byte[] modulus, byte[] exponent)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(modulus);
            key.WriteIntegerUnsigned(exponent);
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(key.Encode());
        }

        return spki.Encode();
    }

    /// <summary>
    /// RSA-PSS/SHA-256 with a zero-length salt (RFC 8017 §9.1.1), which .NET cannot produce:
    /// EM = (DB ⊕ MGF1(H)) ‖ H ‖ 0xBC with H = SHA-256(0^64 ‖ SHA-256(m)), DB = 0…0 ‖ 01; s = EM^d mod n.
    /// </summary>
    private static byte[] PssSaltZeroSha256(RSA key, byte[] content)
    {
        var parameters = key.ExportParameters(true);
        var emLength = parameters.Modulus!.Length;
        var h = SHA256.HashData([.. new byte[8], .. SHA256.HashData(content)]);
        var db = new byte[emLength - h.Length - 1];
        db[^1] = 0x01;
        var mask = new List<byte>();
        for (var counter = 0; mask.Count < db.Length; counter++)
        {
            mask.AddRange(SHA256.HashData([.. h, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]));
        }

        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= 0x7F; // emBits = modBits − 1 for a whole-byte modulus
        byte[] em = [.. db, .. h, 0xBC];
        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(parameters.D, isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(new BigInteger(em, isUnsigned: true, isBigEndian: true), d, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var signature = new byte[emLength];
        s.CopyTo(signature, emLength - s.Length);
        return signature;
    }
}
