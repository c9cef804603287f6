using System.Numerics;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>
/// Brief catalogue row 32 inside full handshakes, in both directions: PKCS#1 v1.5, PSS with salt 0,
/// PSS with an MGF1 hash other than the scheme's → decrypt_error; a scheme the verifier did not
/// offer → illegal_parameter. Forged signatures are built with a hand-written EMSA-PSS (RFC 8017
/// §9.1.1) and raw RSA, because the BCL fixes salt = digest length and MGF1 = the message hash.
/// </summary>
public sealed class SignatureCatalogueTests
{
    public enum Forgery
    {
        Pkcs1V15,
        PssSaltZero,
        PssMgf1Sha384,
        PssCorrect,
    }

    [Theory]
    [InlineData(Forgery.Pkcs1V15)]
    [InlineData(Forgery.PssSaltZero)]
    [InlineData(Forgery.PssMgf1Sha384)]
    public void Client_ServerSignatureWithWrongPadding_DecryptError(Forgery forgery)
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256] });
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { ForgeSignature = c => Sign(TestKeys.Server, c, forgery) } };

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Failed, c.Last!.Status);
        Assert.Equal(AlertDescription.DecryptError, c.Last.Failure!.Alert);
    }

    [Fact]
    public void Client_ServerSignatureFromHandWrittenPss_Establishes()
    {
        // Control: the hand-written encoder with the right parameters is accepted, so the
        // failures above come from the parameter under test and not from the encoder.
        using var client = Loopback.Client(ProtocolOptions.Default with { SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256] });
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { ForgeSignature = c => Sign(TestKeys.Server, c, Forgery.PssCorrect) } };

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
    }

    [Theory]
    [InlineData(Forgery.Pkcs1V15, AlertDescription.DecryptError)]
    [InlineData(Forgery.PssSaltZero, AlertDescription.DecryptError)]
    [InlineData(Forgery.PssMgf1Sha384, AlertDescription.DecryptError)]
    [InlineData(Forgery.PssCorrect, AlertDescription.CloseNotify)]
    public void Server_ClientSignatureWithWrongPadding_DecryptError(Forgery forgery, AlertDescription expected)
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required, SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256] };
        using var client = new ClientHandshake(options, new PinnedServerTrust(TestKeys.Server.Fingerprint), TestKeys.Client) { Faults = new ClientFaults { ForgeSignature = c => Sign(TestKeys.Client, c, forgery) } };
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("alice"));

        var (_, s) = Loopback.Run(client, server);

        if (expected == AlertDescription.CloseNotify)
        {
            Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        }
        else
        {
            Assert.Equal(expected, s.Last!.Failure!.Alert);
        }
    }

    [Fact]
    public void Server_ClientSchemeNotOffered_IllegalParameter()
    {
        var serverOptions = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required, SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256] };
        using var client = new ClientHandshake(ProtocolOptions.Default, new PinnedServerTrust(TestKeys.Server.Fingerprint), TestKeys.Client) { Faults = new ClientFaults { ClaimScheme = SignatureScheme.RsaPssRsaeSha512 } };
        using var server = Loopback.Server(serverOptions, authorizer: new StaticAuthorizer("alice"));

        var (_, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.IllegalParameter, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ClientSchemeUnknownCodePoint_IllegalParameter()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        using var client = new ClientHandshake(options, new PinnedServerTrust(TestKeys.Server.Fingerprint), TestKeys.Client) { Faults = new ClientFaults { ClaimScheme = (SignatureScheme)0x0401 } };
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("alice"));

        var (_, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.IllegalParameter, s.Last!.Failure!.Alert);
    }

    private static byte[] Sign(LocalIdentity identity, byte[] content, Forgery forgery)
    {
        using var rsa = identity.CreateSignerHandle();
        return forgery switch
        {
            Forgery.Pkcs1V15 => rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            Forgery.PssSaltZero => RawSign(rsa, EmsaPss(content, rsa.KeySize - 1, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, saltLength: 0)),
            Forgery.PssMgf1Sha384 => RawSign(rsa, EmsaPss(content, rsa.KeySize - 1, HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, saltLength: 32)),
            _ => RawSign(rsa, EmsaPss(content, rsa.KeySize - 1, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, saltLength: 32)),
        };
    }

    /// <summary>EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with a free choice of salt length and MGF1 hash.</summary>
    private static byte[] EmsaPss(byte[] message, int emBits, HashAlgorithmName hash, HashAlgorithmName mgfHash, int saltLength)
    {
        var emLength = (emBits + 7) / 8;
        var mHash = CryptographicOperations.HashData(hash, message);
        var salt = RandomNumberGenerator.GetBytes(saltLength);
        var h = CryptographicOperations.HashData(hash, [.. new byte[8], .. mHash, .. salt]);
        var db = new byte[emLength - h.Length - 1];
        db[db.Length - saltLength - 1] = 0x01;
        salt.CopyTo(db, db.Length - saltLength);
        var mask = Mgf1(h, db.Length, mgfHash);
        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> ((8 * emLength) - emBits));
        return [.. db, .. h, 0xBC];
    }

    private static byte[] Mgf1(byte[] seed, int length, HashAlgorithmName hash)
    {
        var output = new List<byte>();
        for (uint counter = 0; output.Count < length; counter++)
        {
            output.AddRange(CryptographicOperations.HashData(hash, [.. seed, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]));
        }

        return output.Take(length).ToArray();
    }

    /// <summary>s = m^d mod n, left-padded to |n| bytes.</summary>
    private static byte[] RawSign(RSA rsa, byte[] encoded)
    {
        var p = rsa.ExportParameters(true);
        var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(p.D, isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(new BigInteger(encoded, isUnsigned: true, isBigEndian: true), d, n);
        var result = new byte[p.Modulus!.Length];
        var bytes = s.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(result, result.Length - bytes.Length);
        return result;
    }
}
