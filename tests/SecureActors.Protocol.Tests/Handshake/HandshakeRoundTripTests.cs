using System.Buffers;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

public sealed class HandshakeRoundTripTests
{
    [Fact]
    public void Handshake_DefaultOptions_EstablishesMatchingSessions()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Equal(c.Last.Result!.SessionId, s.Last.Result!.SessionId);
        Assert.Equal(CipherSuite.Aes128GcmSha256, c.Last.Result.Suite);
        Assert.Equal(TestKeys.Server.Fingerprint, c.Last.Result.Peer!.Fingerprint);
        Assert.Null(s.Last.Result.Peer);
        Echo(c.Last.Result.Channel, s.Last.Result.Channel, "hello"u8.ToArray());
    }

    internal static void Echo(SecureChannel client, SecureChannel server, byte[] payload)
    {
        var wire = new ArrayBufferWriter<byte>();
        Assert.True(client.TryWriteRequest(payload, wire, out var id));
        var received = ChannelTestSupport.ReceiveAll(server, wire.WrittenSpan.ToArray());
        var request = Assert.Single(received);
        Assert.Equal(MessageKind.Request, request.Kind);
        Assert.Equal(id, request.Id);
        Assert.Equal(payload, request.Payload);

        wire.ResetWrittenCount();
        Assert.True(server.TryWriteReply(id, request.Payload, wire));
        var replies = ChannelTestSupport.ReceiveAll(client, wire.WrittenSpan.ToArray());
        var reply = Assert.Single(replies);
        Assert.Equal(MessageKind.Reply, reply.Kind);
        Assert.Equal(id, reply.Id);
        Assert.Equal(payload, reply.Payload);
    }
}

public sealed class HandshakeMatrixTests
{
    public static TheoryData<CipherSuite, NamedGroup, SignatureScheme> Matrix()
    {
        var data = new TheoryData<CipherSuite, NamedGroup, SignatureScheme>();
        foreach (var suite in new[] { CipherSuite.Aes128GcmSha256, CipherSuite.Aes256GcmSha384, CipherSuite.ChaCha20Poly1305Sha256 })
        {
            foreach (var group in new[] { NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072 })
            {
                foreach (var scheme in new[] { SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512 })
                {
                    data.Add(suite, group, scheme);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Handshake_EverySuiteGroupAndHash_EstablishesAndEchoes(CipherSuite suite, NamedGroup group, SignatureScheme scheme)
    {
        var options = ProtocolOptions.Default with
        {
            CipherSuites = [suite],
            Groups = [group],
            KeyShareGroups = [group],
            SignatureSchemes = [scheme],
            ClientAuthentication = ClientAuthPolicy.Required,
        };
        using var client = Loopback.Client(options, identity: TestKeys.Client);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("alice"));

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Equal(suite, s.Last.Result!.Suite);
        Assert.Equal(group, c.Last.Result!.Group);
        Assert.Equal(c.Last.Result.SessionId, s.Last.Result.SessionId);
        Assert.Equal("alice", s.Last.Result.Peer!.DisplayName);
        Assert.Equal(TestKeys.Client.Fingerprint, s.Last.Result.Peer.Fingerprint);
        HandshakeRoundTripTests.Echo(c.Last.Result.Channel, s.Last.Result.Channel, new byte[100]);
    }

    [Theory]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Handshake_LargerServerKeys_Establish(int bits)
    {
        var identity = bits == 3072 ? TestKeys.Server3072 : TestKeys.Server4096;
        using var client = Loopback.Client(trust: new SecureActors.Protocol.Identity.PinnedServerTrust(identity.Fingerprint));
        using var server = Loopback.Server(identity: identity);

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(identity.Fingerprint, c.Last.Result!.Peer!.Fingerprint);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
    }
}

public sealed class HandshakeSplitTests
{
    public static TheoryData<int> ChunkSizes() => [1, 2, 3, 5, 7, 64, 100, 1000];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Handshake_StreamSplitIntoChunks_Establishes(int chunk)
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Optional };
        using var client = Loopback.Client(options, identity: TestKeys.Client);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("bob"));

        var (c, s) = Loopback.Run(client, server, chunk);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Equal("bob", s.Last.Result!.Peer!.DisplayName);
    }

    [Fact]
    public void Handshake_EveryTwoWaySplitOfEachFlight_Establishes()
    {
        // Record the three flights once, then replay each with a cut at every byte position.
        var flights = RecordFlights();
        for (var flight = 0; flight < flights.Count; flight++)
        {
            var bytes = flights[flight];
            for (var cut = 1; cut < bytes.Length; cut += 1)
            {
                var input = Segments.Of([bytes[..cut], bytes[cut..]]);
                var frames = ParseAll(input, bytes.Length, flight == 0);
                Assert.True(frames > 0, $"flight {flight} cut {cut} parsed no frame");
            }
        }
    }

    private static int ParseAll(System.Buffers.ReadOnlySequence<byte> input, int total, bool withPrologue)
    {
        if (withPrologue)
        {
            Assert.Equal(SecureActors.Protocol.Framing.FrameReadStatus.Complete, SecureActors.Protocol.Framing.Prologue.TryRead(input, out var after, out _));
            input = input.Slice(after);
        }

        var count = 0;
        while (!input.IsEmpty)
        {
            Assert.Equal(SecureActors.Protocol.Framing.FrameReadStatus.Complete, SecureActors.Protocol.Framing.FrameReader.TryRead(input, out var consumed, out _, out _, out _));
            input = input.Slice(consumed);
            count++;
        }

        return count;
    }

    private static List<byte[]> RecordFlights()
    {
        var flights = new List<byte[]>();
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        Loopback.Run(client, server, clientToServer: b => { flights.Add(b); return b; }, serverToClient: b => { flights.Add(b); return b; });
        Assert.Equal(3, flights.Count);
        return flights;
    }

    [Fact]
    public void Handshake_ClientFlightAndFirstRequestInOneSegment_ServerReturnsRequestAsBufferedFrame()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        var (c, s) = Loopback.Run(client, server);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);

        // Re-run with the first request glued to the client's flight (brief row 7).
        using var client2 = Loopback.Client();
        using var server2 = Loopback.Server();
        var clientEnd = new Endpoint(client2, expectsPrologue: false);
        var serverEnd = new Endpoint(server2, expectsPrologue: true);
        clientEnd.Record(client2.Start());
        serverEnd.Deliver(clientEnd.TakeOutbox());
        clientEnd.Deliver(serverEnd.TakeOutbox());
        Assert.Equal(HandshakeStatus.Complete, clientEnd.Last!.Status);
        var wire = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(clientEnd.Last.Result!.Channel.TryWriteRequest("glued"u8, wire, out _));
        serverEnd.Deliver([.. clientEnd.TakeOutbox(), .. wire.WrittenSpan.ToArray()]);

        Assert.Equal(HandshakeStatus.Complete, serverEnd.Last!.Status);
        var frame = Assert.Single(serverEnd.FramesAfterHandshake);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var ev = serverEnd.Last.Result!.Channel.Receive(frame, output);
        Assert.Equal(SecureActors.Protocol.Records.ChannelEventKind.Message, ev.Kind);
        Assert.Equal("glued"u8.ToArray(), ev.Payload.ToArray());
    }
}

public sealed class HandshakeFlowTests
{
    [Fact]
    public void Handshake_ClientSharesUnsupportedGroup_OneHelloRetryThenEstablishes()
    {
        var clientOptions = ProtocolOptions.Default with { Groups = [NamedGroup.Secp256r1, NamedGroup.Secp384r1], KeyShareGroups = [NamedGroup.Secp256r1] };
        var serverOptions = ProtocolOptions.Default with { Groups = [NamedGroup.Secp384r1] };
        using var client = Loopback.Client(clientOptions);
        using var server = Loopback.Server(serverOptions);
        var hrrSeen = 0;

        var (c, s) = Loopback.Run(client, server, serverToClient: b => { if (b[0] == 0x16 && b[5] == 6) { hrrSeen++; } return b; });

        Assert.Equal(1, hrrSeen);
        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(NamedGroup.Secp384r1, s.Last!.Result!.Group);
        Assert.Equal(c.Last.Result!.SessionId, s.Last.Result.SessionId);
    }

    [Fact]
    public void Handshake_ClientSendsNoShares_HelloRetryThenEstablishes()
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { KeyShareGroups = [] });
        using var server = Loopback.Server();

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
    }

    [Fact]
    public void Handshake_OptionalAuthWithoutClientKey_ServerSeesAnonymous()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Optional };
        using var client = Loopback.Client(options);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("x"));

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Null(s.Last.Result!.Peer);
        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
    }

    [Fact]
    public void Handshake_ServerPreference_DecidesSuite()
    {
        var clientOptions = ProtocolOptions.Default with { CipherSuites = [CipherSuite.ChaCha20Poly1305Sha256, CipherSuite.Aes256GcmSha384] };
        var serverOptions = ProtocolOptions.Default with { CipherSuites = [CipherSuite.Aes256GcmSha384, CipherSuite.ChaCha20Poly1305Sha256] };
        using var client = Loopback.Client(clientOptions);
        using var server = Loopback.Server(serverOptions);

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(CipherSuite.Aes256GcmSha384, c.Last!.Result!.Suite);
    }

    [Fact]
    public async Task Handshake_CryptoRunOnAnotherThreadWithWorkerOwnedKey_Establishes()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        using var workerKey = TestKeys.Server.CreateSignerHandle();

        // Drive the server by hand, executing every operation on a thread-pool thread.
        var clientStep = client.RunInline(client.Start());
        var serverEnd = new Endpoint(server, expectsPrologue: true);
        var wire = clientStep.Output.ToArray();
        var frames = FramesOf(wire[8..]);
        HandshakeStep step = server.Feed(frames[0]);
        var kinds = new List<CryptoOperationKind>();
        while (step.Status == HandshakeStatus.AwaitingCrypto)
        {
            var op = step.Operation!;
            kinds.Add(op.Kind);
            var result = await Task.Run(() => op is IdentitySignatureOperation sign ? sign.Execute(workerKey) : op.Execute());
            step = server.Complete(result);
        }

        Assert.Equal([CryptoOperationKind.GenerateKeyShares, CryptoOperationKind.DeriveAndSign], kinds);
        Assert.Equal(HandshakeStatus.NeedInput, step.Status);
        var clientEnd = new Endpoint(client, expectsPrologue: false);
        clientEnd.Deliver(step.Output.ToArray());
        Assert.Equal(HandshakeStatus.Complete, clientEnd.Last!.Status);
        serverEnd.Deliver([.. SecureActors.Protocol.Framing.Prologue.Magic, .. clientEnd.TakeOutbox()]);
        Assert.Equal(HandshakeStatus.Complete, serverEnd.Last!.Status);
    }

    [Fact]
    public void Complete_ResultOfAnotherOperation_Throws()
    {
        using var client1 = Loopback.Client();
        using var client2 = Loopback.Client();
        var step1 = client1.Start();
        var step2 = client2.Start();

        Assert.Throws<InvalidOperationException>(() => client1.Complete(step2.Operation!.Execute()));
        Assert.Equal(HandshakeStatus.NeedInput, client1.Complete(step1.Operation!.Execute()).Status);
    }

    [Fact]
    public void Execute_Twice_SecondResultIsFailure()
    {
        using var client = Loopback.Client();
        var op = client.Start().Operation!;

        Assert.True(op.Execute().Succeeded);
        Assert.Equal(AlertDescription.InternalError, op.Execute().Failure!.Alert);
    }

    [Fact]
    public void Dispose_WithPendingOperation_LaterExecutionFailsCleanly()
    {
        var client = Loopback.Client();
        var op = client.Start().Operation!;
        client.Dispose();

        Assert.False(op.Execute().Succeeded);
    }

    internal static List<SecureActors.Protocol.Framing.Frame> FramesOf(byte[] wire)
    {
        var frames = new List<SecureActors.Protocol.Framing.Frame>();
        var input = new System.Buffers.ReadOnlySequence<byte>(wire);
        while (SecureActors.Protocol.Framing.FrameReader.TryRead(input, out var consumed, out _, out var frame, out _) == SecureActors.Protocol.Framing.FrameReadStatus.Complete)
        {
            frames.Add(frame.ToOwned());
            input = input.Slice(consumed);
        }

        return frames;
    }
}
