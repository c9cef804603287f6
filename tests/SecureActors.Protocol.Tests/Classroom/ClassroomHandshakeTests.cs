using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Classroom;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.Handshake;
using SecureActors.Protocol.Tests.TestSupport;
using static SecureActors.Protocol.Handshake.HandshakeMessages;

namespace SecureActors.Protocol.Tests.Classroom;

/// <summary>The classroom suite on the wire: negotiated only by mutual consent, loud, and broken.</summary>
public sealed class ClassroomHandshakeTests
{
    private static ProtocolOptions Classroom(List<string>? warnings = null) =>
        ProtocolOptions.Default with { EnableClassroom = true, SecurityWarning = warnings is null ? null : warnings.Add };

    [Fact]
    public void Handshake_BothSidesEnableClassroom_NegotiatesClassroomAndEchoes()
    {
        using var client = Loopback.Client(Classroom());
        using var server = Loopback.Server(Classroom());

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Equal(CipherSuite.Classroom, c.Last.Result!.Suite);
        Assert.Equal(CipherSuite.Classroom, s.Last.Result!.Suite);
        Assert.Equal(NamedGroup.Classroom, s.Last.Result.Group);
        Assert.Equal(c.Last.Result.SessionId, s.Last.Result.SessionId);
        HandshakeRoundTripTests.Echo(c.Last.Result.Channel, s.Last.Result.Channel, "classroom hello, spanning several 4-byte blocks"u8.ToArray());
    }

    [Fact]
    public void Handshake_ClassroomWithoutRoomForItsShare_OneHelloRetryThenClassroom()
    {
        var clientOptions = Classroom() with { KeyShareGroups = [NamedGroup.Secp256r1, NamedGroup.Secp384r1] };
        using var client = Loopback.Client(clientOptions);
        using var server = Loopback.Server(Classroom());
        var hrrSeen = 0;

        var (c, s) = Loopback.Run(client, server, serverToClient: b => { if (b[0] == 0x16 && b[3] == 6) { hrrSeen++; } return b; });

        Assert.Equal(1, hrrSeen);
        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(NamedGroup.Classroom, s.Last!.Result!.Group);
        HandshakeRoundTripTests.Echo(c.Last.Result!.Channel, s.Last.Result.Channel, [1, 2, 3]);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Handshake_OnlyOneSideEnablesClassroom_NegotiatesRealSuiteWithoutWarnings(bool clientEnables, bool serverEnables)
    {
        var warnings = new List<string>();
        using var client = Loopback.Client(clientEnables ? Classroom(warnings) : ProtocolOptions.Default);
        using var server = Loopback.Server(serverEnables ? Classroom(warnings) : ProtocolOptions.Default);

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(CipherSuite.Aes128GcmSha256, s.Last!.Result!.Suite);
        Assert.Equal(NamedGroup.Secp256r1, c.Last.Result!.Group);
        HandshakeRoundTripTests.Echo(c.Last.Result.Channel, s.Last.Result.Channel, [9]);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Handshake_ClassroomClientMeetsServerWithoutSharedRealSuite_FailsInsteadOfFallingBack()
    {
        var clientOptions = Classroom() with { CipherSuites = [CipherSuite.ChaCha20Poly1305Sha256] };
        var serverOptions = ProtocolOptions.Default with { CipherSuites = [CipherSuite.Aes128GcmSha256] };
        using var client = Loopback.Client(clientOptions);
        using var server = Loopback.Server(serverOptions);

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.HandshakeFailure, s.Last!.Failure!.Alert);
        Assert.Equal(AlertDescription.HandshakeFailure, c.Last!.Failure!.Alert);
    }

    [Fact]
    public void Classroom_EveryUse_RaisesWarningOnEachSide()
    {
        var clientWarnings = new List<string>();
        var serverWarnings = new List<string>();
        using var client = Loopback.Client(Classroom(clientWarnings));
        using var server = Loopback.Server(Classroom(serverWarnings));

        var (c, s) = Loopback.Run(client, server);

        // Handshake: one warning at negotiation, then one per protected handshake record sealed or
        // opened (server flight, client flight).
        Assert.Equal(3, clientWarnings.Count);
        Assert.Equal(3, serverWarnings.Count);
        Assert.All(clientWarnings.Concat(serverWarnings), w => Assert.Equal(ClassroomSuite.Warning, w));

        clientWarnings.Clear();
        serverWarnings.Clear();
        HandshakeRoundTripTests.Echo(c.Last!.Result!.Channel, s.Last!.Result!.Channel, [1]);

        Assert.Equal(2, clientWarnings.Count);
        Assert.Equal(2, serverWarnings.Count);
    }

    [Fact]
    public void Validate_ClassroomGroupListedExplicitly_Throws()
    {
        var options = ProtocolOptions.Default with { Groups = [NamedGroup.Secp256r1, NamedGroup.Classroom] };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Server_ClassroomShareMalformedButClassroomDisabled_IgnoresShare()
    {
        using var client = Loopback.Client(Classroom());
        using var server = Loopback.Server();

        var (c, s) = Loopback.Run(client, server, clientToServer: bytes => ReplaceClassroomShare(bytes, 0xFFFF));

        // The server ignores the (now out-of-range) classroom share and answers with P-256: the
        // client, whose transcript differs, then cannot open the flight (bad_record_mac) rather
        // than the server rejecting the share (illegal_parameter).
        Assert.NotEqual(AlertDescription.IllegalParameter, s.Last?.Failure?.Alert ?? AlertDescription.CloseNotify);
        Assert.Equal(AlertDescription.BadRecordMac, c.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ClassroomShareOutOfRangeWithClassroomEnabled_IllegalParameter()
    {
        using var client = Loopback.Client(Classroom());
        using var server = Loopback.Server(Classroom());

        var (_, s) = Loopback.Run(client, server, clientToServer: bytes => ReplaceClassroomShare(bytes, 0));

        Assert.Equal(AlertDescription.IllegalParameter, s.Last!.Failure!.Alert);
    }

    /// <summary>
    /// Why it is broken: a passive eavesdropper who sees only the bytes on the wire brute-forces
    /// the 16-bit DH from the two public shares, recomputes the key schedule, decrypts the
    /// server's flight to complete the transcript, and reads the application data. No key, no
    /// active attack, well under a second.
    /// </summary>
    [Fact]
    public void Classroom_PassiveEavesdropper_RecoversSessionKeysAndPlaintext()
    {
        using var client = Loopback.Client(Classroom());
        using var server = Loopback.Server(Classroom());
        var toServer = new List<byte>();
        var toClient = new List<byte>();
        var (c, s) = Loopback.Run(client, server, clientToServer: b => { toServer.AddRange(b); return b; }, serverToClient: b => { toClient.AddRange(b); return b; });
        var wire = new ArrayBufferWriter<byte>();
        Assert.True(c.Last!.Result!.Channel.TryWriteRequest("the exam answers are: B, D, A"u8, wire, out _));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // The eavesdropper's view: magic ‖ ClientHello record … and ServerHello record ‖ protected flight.
        var clientRecords = ChannelTestSupport.Records(toServer.Skip(8).ToArray());
        var serverRecords = ChannelTestSupport.Records(toClient.ToArray());
        var clientHelloMessage = clientRecords[0][3..];
        var serverHelloMessage = serverRecords[0][3..];
        var clientShare = ClientHello.Decode(clientHelloMessage.AsSpan(3)).KeyShares.Single(k => k.Group == (ushort)NamedGroup.Classroom).Share;
        var serverShare = ServerHello.Decode(serverHelloMessage.AsSpan(3)).Share;
        var clientSecret = ClassroomDh.BruteForce(BinaryPrimitives.ReadUInt16BigEndian(clientShare));
        var z = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(z, (ushort)ClassroomDh.SharedSecret(BinaryPrimitives.ReadUInt16BigEndian(serverShare), clientSecret));

        var transcript = new List<byte>("SECACTR\n"u8.ToArray());
        transcript.AddRange(clientHelloMessage);
        transcript.AddRange(serverHelloMessage);
        using var secrets = new HandshakeSecrets(SuiteParameters.For(CipherSuite.Classroom));
        secrets.DeriveHandshakeTraffic(z, SHA256.HashData(transcript.ToArray()));
        using var flightOpener = RecordOpener.Create(CipherSuite.Classroom, secrets.ServerHandshakeTraffic);
        var flight = serverRecords[1];
        Assert.True(flightOpener.TryOpen(flight, out var inner, out var length, out _));
        Assert.Equal(ContentType.Handshake, inner);
        transcript.AddRange(flight.AsSpan(3, length).ToArray());
        secrets.DeriveApplicationTraffic(SHA256.HashData(transcript.ToArray()));
        using var applicationOpener = RecordOpener.Create(CipherSuite.Classroom, secrets.ClientApplicationTraffic);
        var request = wire.WrittenSpan.ToArray();
        Assert.True(applicationOpener.TryOpen(request, out _, out var requestLength, out _));
        started.Stop();

        Assert.Equal(s.Last!.Result!.SessionId, Convert.ToHexStringLower(secrets.SessionId!));
        Assert.Equal("the exam answers are: B, D, A"u8.ToArray(), request.AsSpan(3 + 14, requestLength - 14).ToArray());
        Assert.True(started.ElapsedMilliseconds < 1000, $"took {started.ElapsedMilliseconds} ms");
    }

    private static byte[] ReplaceClassroomShare(byte[] bytes, ushort value)
    {
        // The first flight is magic ‖ ClientHello; the classroom share is 0xFFC1 ‖ 0x0002 ‖ y.
        if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual("SECACTR\n"u8))
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        var at = copy.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC1, 0x00, 0x02]);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 4), value);
        return copy;
    }
}
