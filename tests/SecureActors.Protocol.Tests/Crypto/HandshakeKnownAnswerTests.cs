using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Crypto;

/// <summary>
/// The whole-handshake vector of PROTOCOL.md §11.4. The first test pins the doc to what the reference machines
/// produce; the others check the printed values against each other by the spec's formulas, so the doc itself
/// shows which messages each transcript hash covers and a reader can trust it without running our code.
/// </summary>
public sealed class HandshakeKnownAnswerTests
{
    private static readonly Lazy<Dictionary<string, string>> Printed = new(() => ProtocolDoc.KnownAnswerFields("Handshake"));

    /// <summary>The handshake messages in transcript order, by their names in the vector.</summary>
    private static readonly string[] TranscriptMessages =
        ["ClientHello", "ServerHello", "ServerParams", "server Identity", "server Signature", "server Finished", "client Finished"];

    private static byte[] Hex(string name) => Convert.FromHexString(Printed.Value[name]);

    [Fact]
    public void WholeHandshake_ReferenceMachinesFromFixedInputs_ProduceEveryPrintedLine()
    {
        var printed = ProtocolDoc.KnownAnswerBlock("Handshake");

        var computed = HandshakeKnownAnswerVectors.Compute();

        Assert.Equal(computed, printed);
    }

    [Fact]
    public void WholeHandshake_PrintedServerKey_IsTheKeyTheVectorRunsWith()
    {
        var printed = ProtocolDoc.KnownAnswerBlock("HandshakeServerKey");

        Assert.Equal(HandshakeKnownAnswerVectors.ServerIdentityKeyPem.Split('\n'), printed);
        using var key = RSA.Create();
        key.ImportFromPem(string.Join('\n', printed));
        Assert.Equal(Fingerprint.Of(key.ExportSubjectPublicKeyInfo()), Printed.Value["server key fingerprint"]);
    }

    [Fact]
    public void WholeHandshake_PrintedSignature_VerifiesUnderThePrintedKeyOverThePrintedTranscript()
    {
        using var key = RSA.Create();
        key.ImportFromPem(string.Join('\n', ProtocolDoc.KnownAnswerBlock("HandshakeServerKey")));
        var signature = Hex("server signature");
        var content = HandshakeKnownAnswerVectors.SignedContent(Hex("TH(..server Identity)"));

        Assert.Equal(Convert.ToHexStringLower(content), Printed.Value["server signed content"]);
        Assert.True(key.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        // Signature message: msg_type 15, u16 length, scheme 0x0804, vector16 signature.
        Assert.Equal("0f" + "0104" + "0804" + "0100" + Convert.ToHexStringLower(signature), Printed.Value["server Signature"]);
    }

    [Fact]
    public void WholeHandshake_EachPrintedTranscriptHash_CoversTheMagicAndEveryMessageUpToItsOwn()
    {
        var transcript = new List<byte>(Hex("magic"));
        foreach (var message in TranscriptMessages)
        {
            transcript.AddRange(Hex(message));

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(transcript.ToArray())), Printed.Value[$"TH(..{message})"]);
        }
    }

    [Fact]
    public void WholeHandshake_PrintedSecretsAndFinished_FollowFromTheTranscriptPointsOfSection7()
    {
        var hash = HashAlgorithmName.SHA256;
        var thServerHello = Hex("TH(..ServerHello)");
        var thServerFinished = Hex("TH(..server Finished)");

        Assert.Equal(Printed.Value["c_hs"], DeriveSecret(Hex("hs"), "c hs traffic", thServerHello));
        Assert.Equal(Printed.Value["s_hs"], DeriveSecret(Hex("hs"), "s hs traffic", thServerHello));
        Assert.Equal(Printed.Value["c_ap_0"], DeriveSecret(Hex("master"), "c ap traffic", thServerFinished));
        Assert.Equal(Printed.Value["s_ap_0"], DeriveSecret(Hex("master"), "s ap traffic", thServerFinished));
        Assert.Equal(Printed.Value["server verify_data"], Finished(Hex("s_hs"), Hex("TH(..server Signature)")));
        // No client authentication: the last message before the client's Finished is the server's Finished.
        Assert.Equal(Printed.Value["client verify_data"], Finished(Hex("c_hs"), thServerFinished));
        Assert.Equal("140020" + Printed.Value["server verify_data"], Printed.Value["server Finished"]);
        Assert.Equal("140020" + Printed.Value["client verify_data"], Printed.Value["client Finished"]);

        string DeriveSecret(byte[] secret, string label, byte[] transcriptHash)
        {
            var output = new byte[32];
            KeySchedule.DeriveSecret(hash, secret, label, transcriptHash, output);
            return Convert.ToHexStringLower(output);
        }

        string Finished(byte[] trafficSecret, byte[] transcriptHash)
        {
            var output = new byte[32];
            KeySchedule.ComputeFinished(hash, trafficSecret, transcriptHash, output);
            return Convert.ToHexStringLower(output);
        }
    }

    [Theory]
    [InlineData("client record 1, plaintext", null, "ClientHello")]
    [InlineData("server record 1, plaintext", null, "ServerHello")]
    [InlineData("server record 2, s_hs seq 0", "s_hs", "ServerParams|server Identity|server Signature|server Finished")]
    [InlineData("client record 2, c_hs seq 0", "c_hs", "client Finished")]
    [InlineData("client record 3, c_ap_0 seq 0", "c_ap_0", "request 1 \"hello\", content")]
    [InlineData("server record 3, s_ap_0 seq 0", "s_ap_0", "reply 1 \"hello\", content")]
    public void WholeHandshake_PrintedRecord_CarriesThePrintedContent(string record, string? trafficSecret, string contents)
    {
        var expected = string.Concat(contents.Split('|').Select(name => Printed.Value[name]));
        var bytes = Hex(record);

        if (trafficSecret is null)
        {
            Assert.Equal($"16{expected.Length / 2:x4}{expected}", Printed.Value[record]);
            return;
        }

        using var opener = RecordOpener.Create(CipherSuite.Aes128GcmSha256, Hex(trafficSecret));
        Assert.True(opener.TryOpen(bytes, out var inner, out var length, out _));
        Assert.Equal(record.Contains("hs seq", StringComparison.Ordinal) ? ContentType.Handshake : ContentType.ApplicationData, inner);
        Assert.Equal(expected, Convert.ToHexStringLower(bytes.AsSpan(3, length)));
    }
}
