using System.Buffers;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Crypto;

public sealed class KnownAnswerTests
{
    [Theory]
    [InlineData(CipherSuite.Aes128GcmSha256)]
    [InlineData(CipherSuite.Aes256GcmSha384)]
    [InlineData(CipherSuite.ChaCha20Poly1305Sha256)]
    public void KeyScheduleAndRecords_FixedInputs_MatchVectorsInProtocolMd(CipherSuite suite)
    {
        var printed = ProtocolDoc.KnownAnswerBlock(suite.ToString());

        var computed = KnownAnswerVectors.Compute(suite).Select(v => $"{v.Name} = {v.Hex}").ToList();

        Assert.Equal(computed, printed);
    }

    [Theory]
    [InlineData(CipherSuite.Aes128GcmSha256)]
    [InlineData(CipherSuite.Aes256GcmSha384)]
    [InlineData(CipherSuite.ChaCha20Poly1305Sha256)]
    public void BatchedRecord_ChannelWithBatching_SealsAndOpensThePrintedVector(CipherSuite suite)
    {
        var vectors = KnownAnswerVectors.Compute(suite).ToDictionary(v => v.Name, v => v.Hex);
        var clientTraffic = Convert.FromHexString(vectors["c_ap_0"]);
        var printed = vectors.Single(v => v.Key.StartsWith("batched record", StringComparison.Ordinal)).Value;
        // Only the client's sending key and the server's receiving key matter; the other two are unused.
        using var client = new SecureChannel(ChannelRole.Client, RecordSealer.Create(suite, clientTraffic), RecordOpener.Create(suite, new byte[clientTraffic.Length]),
            ProtocolOptions.Default, ProtocolOptions.Default.MaxMessageSize, messageSignatures: false, messageBatching: true);
        using var server = new SecureChannel(ChannelRole.Server, RecordSealer.Create(suite, new byte[clientTraffic.Length]), RecordOpener.Create(suite, clientTraffic),
            ProtocolOptions.Default, ProtocolOptions.Default.MaxMessageSize, messageSignatures: false, messageBatching: true);
        var wire = new ArrayBufferWriter<byte>();

        client.BeginBatch();
        Assert.True(client.TryWriteRequest("hello"u8, wire, out _));
        Assert.True(client.TryWriteRequest("world"u8, wire, out _));
        Assert.True(client.EndBatch(wire));
        var received = ChannelTestSupport.ReceiveAll(server, wire.WrittenSpan.ToArray());

        Assert.Equal(printed, Convert.ToHexStringLower(wire.WrittenSpan));
        Assert.Equal([(1UL, "hello"), (2UL, "world")], received.Select(m => (m.Id, System.Text.Encoding.ASCII.GetString(m.Payload))));
    }

    [Fact]
    public void ClientHelloEncoding_FixedFields_MatchesVectorInProtocolMd()
    {
        var printed = string.Concat(ProtocolDoc.KnownAnswerBlock("ClientHello"));

        Assert.Equal(Convert.ToHexStringLower(KnownAnswerVectors.ExampleClientHello()), printed);
    }

    [Fact]
    public void EarlySecret_Sha256_EqualsTls13ValueBecauseNoLabelIsInvolved()
    {
        // Extract(0,0) has no label, so it must equal RFC 8448's early secret: an independent anchor.
        var early = KnownAnswerVectors.Compute(CipherSuite.Aes128GcmSha256).First(v => v.Name == "early").Hex;

        Assert.Equal("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", early);
    }

    [Fact]
    public void HandshakeSecrets_SameInputs_MatchStepwiseDerivation()
    {
        var suite = SuiteParameters.For(CipherSuite.Aes128GcmSha256);
        using var secrets = new HandshakeSecrets(suite);
        secrets.DeriveHandshakeTraffic(KnownAnswerVectors.Pattern(0, 32), KnownAnswerVectors.Fill(0x11, 32));
        secrets.DeriveApplicationTraffic(KnownAnswerVectors.Fill(0x22, 32));
        var expected = KnownAnswerVectors.Compute(CipherSuite.Aes128GcmSha256).ToDictionary(v => v.Name, v => v.Hex);

        Assert.Equal(expected["c_hs"], Convert.ToHexStringLower(secrets.ClientHandshakeTraffic!));
        Assert.Equal(expected["s_ap_0"], Convert.ToHexStringLower(secrets.ServerApplicationTraffic!));
        Assert.Equal(expected["session_id"], Convert.ToHexStringLower(secrets.SessionId!));
    }

    [Fact]
    public void Nonces_MillionRecordsUnderOneKey_NeverRepeat()
    {
        using var secret = new TrafficSecret(SuiteParameters.For(CipherSuite.Aes128GcmSha256), new byte[32]);
        var seen = new HashSet<(ulong, uint)>();
        Span<byte> nonce = stackalloc byte[12];
        for (ulong seq = 0; seq < 1_000_000; seq++)
        {
            secret.ComputeNonce(seq, nonce);
            Assert.True(seen.Add((BitConverter.ToUInt64(nonce[4..]), BitConverter.ToUInt32(nonce[..4]))));
        }
    }

    [Fact]
    public void Nonce_Sequence_IsIvXorBigEndianSeqInLastEightBytes()
    {
        using var secret = new TrafficSecret(SuiteParameters.For(CipherSuite.Aes128GcmSha256), new byte[32]);
        Span<byte> n0 = stackalloc byte[12];
        Span<byte> n1 = stackalloc byte[12];
        secret.ComputeNonce(0, n0);
        secret.ComputeNonce(0x0102, n1);

        Assert.Equal(secret.Iv.ToArray(), n0.ToArray());
        Assert.Equal((byte)(n0[11] ^ 0x02), n1[11]);
        Assert.Equal((byte)(n0[10] ^ 0x01), n1[10]);
        Assert.Equal(n0[..10].ToArray(), n1[..10].ToArray());
    }
}
