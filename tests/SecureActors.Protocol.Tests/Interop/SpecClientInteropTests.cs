using System.Buffers;
using System.Security.Cryptography;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Interop;

/// <summary>
/// The library's server against <see cref="SpecClient"/>, a client written only from
/// docs/PROTOCOL.md: if these pass, the document is enough to interoperate.
/// </summary>
public sealed class SpecClientInteropTests
{
    private const ushort P256 = 0x0017;
    private const ushort P384 = 0x0018;
    private static readonly ushort[] AllSuites = [0x1301, 0x1302, 0x1303];
    private static readonly ushort[] AllSchemes = [0x0804, 0x0805, 0x0806];
    private static readonly Lazy<RSA> ClientKey = new(() => RSA.Create(2048));

    [Theory]
    [InlineData((ushort)0x1301, P256)]
    [InlineData((ushort)0x1302, P256)]
    [InlineData((ushort)0x1303, P256)]
    [InlineData((ushort)0x1301, P384)]
    [InlineData((ushort)0x1302, P384)]
    [InlineData((ushort)0x1303, P384)]
    public void SpecClient_EverySuiteAndGroup_HandshakesEchoesAndCloses(ushort suite, ushort group)
    {
        using var client = new SpecClient([suite], [group], [group], AllSchemes);
        using var server = Loopback.Server();

        var session = Drive(client, server);

        Assert.Equal(suite, client.Suite);
        Assert.Equal(group, client.Group);
        Assert.Equal(session.Result.SessionId, Convert.ToHexStringLower(client.SessionId));
        Assert.Equal(TestKeys.Server.Spki.ToArray(), client.ServerSpki);
        EchoAndClose(client, session);
    }

    [Fact]
    public void SpecClient_NoKeyShare_FollowsHelloRetryAndEstablishes()
    {
        using var client = new SpecClient(AllSuites, [P256, P384], [], AllSchemes);
        using var server = Loopback.Server();

        var session = Drive(client, server);

        Assert.Equal(P256, client.Group);
        Assert.Equal(session.Result.SessionId, Convert.ToHexStringLower(client.SessionId));
        EchoAndClose(client, session);
    }

    [Fact]
    public void SpecClient_HelloRetryUnderSha384_UsesSuiteHashForMessageHash()
    {
        using var client = new SpecClient([0x1302], [P384], [], AllSchemes);
        using var server = Loopback.Server();

        var session = Drive(client, server);

        Assert.Equal(P384, client.Group);
        EchoAndClose(client, session);
    }

    [Theory]
    [InlineData(ClientAuthPolicy.Required, true)]
    [InlineData(ClientAuthPolicy.Optional, true)]
    [InlineData(ClientAuthPolicy.Optional, false)]
    public void SpecClient_ClientAuthentication_ServerSeesIdentity(ClientAuthPolicy policy, bool withKey)
    {
        using var client = new SpecClient(AllSuites, [P256], [P256], AllSchemes, withKey ? ClientKey.Value : null);
        using var server = Loopback.Server(ProtocolOptions.Default with { ClientAuthentication = policy }, authorizer: new StaticAuthorizer("alice"));

        var session = Drive(client, server);

        if (withKey)
        {
            Assert.Equal("alice", session.Result.Peer!.DisplayName);
            // §14: SHA256: + unpadded base64 of SHA-256 over the SPKI DER.
            var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(ClientKey.Value.ExportSubjectPublicKeyInfo())).TrimEnd('=');
            Assert.Equal(fingerprint, session.Result.Peer.Fingerprint);
        }
        else
        {
            Assert.Null(session.Result.Peer);
        }

        EchoAndClose(client, session);
    }

    [Fact]
    public void SpecClient_ServerWantsSha384Scheme_ClientVerifiesIt()
    {
        using var client = new SpecClient(AllSuites, [P256], [P256], [0x0805]);
        using var server = Loopback.Server();

        var session = Drive(client, server);

        EchoAndClose(client, session);
    }

    [Fact]
    public void SpecClient_ServerBusyAsTheFirstRecord_IsARefusalToRetryWithTheLibrarysCode()
    {
        using var client = new SpecClient(AllSuites, [P256], [P256], AllSchemes);
        client.Start();

        var refusal = Assert.Throws<SpecFailure>(() => client.Receive([0x15, 0x00, 0x02, 0x02, 0xF0]));

        Assert.True(refusal.ServerBusy);
        Assert.Equal((int)AlertDescription.ServerBusy, refusal.Alert);
        Assert.Equal(SpecClient.ServerBusyAlert, (byte)AlertDescription.ServerBusy);
    }

    [Fact]
    public void SpecClient_ServerBusyAfterTheServersFirstRecord_IsOnlyAFatalAlert()
    {
        using var client = new SpecClient(AllSuites, [P256, P384], [], AllSchemes);
        using var server = Loopback.Server();
        var s = new Endpoint(server, expectsPrologue: true);
        s.Deliver(client.Start());
        client.Receive(s.TakeOutbox());     // the HelloRetryRequest: the server's first record

        var failure = Assert.Throws<SpecFailure>(() => client.Receive([0x15, 0x00, 0x02, 0x02, 0xF0]));

        Assert.False(failure.ServerBusy);
        Assert.Equal(240, failure.Alert);
    }

    private sealed record Session(Endpoint Server, HandshakeResult Result);

    private static Session Drive(SpecClient client, ServerHandshake server)
    {
        var s = new Endpoint(server, expectsPrologue: true);
        var toServer = client.Start();
        for (var round = 0; round < 4 && !s.Done; round++)
        {
            s.Deliver(toServer);
            toServer = client.Receive(s.TakeOutbox());
        }

        if (toServer.Length > 0)
        {
            s.Deliver(toServer);
        }

        Assert.Null(s.FramingFailure);
        Assert.False(s.PrologueRejected);
        Assert.True(s.Last is { Status: HandshakeStatus.Complete }, $"server: {s.Last?.Status} {s.Last?.Failure}");
        Assert.True(client.IsEstablished);
        Assert.Empty(s.TakeOutbox());
        return new Session(s, s.Last!.Result!);
    }

    private static void EchoAndClose(SpecClient client, Session session)
    {
        var channel = session.Result.Channel;
        var request = ChannelTestSupport.Receive(channel, client.SealRequest("ping from the spec"u8));
        Assert.Null(request.Failure);
        var message = Assert.Single(request.Messages);
        Assert.Equal(MessageKind.Request, message.Kind);
        Assert.Equal(1UL, message.Id);
        Assert.Equal("ping from the spec"u8.ToArray(), message.Payload);

        var wire = new ArrayBufferWriter<byte>();
        Assert.True(channel.TryWriteReply(message.Id, "pong"u8, wire));
        var replies = new List<(byte Kind, ulong Id, byte[] Payload)>();
        Assert.Empty(client.Receive(wire.WrittenSpan, replies));
        var reply = Assert.Single(replies);
        Assert.Equal((byte)2, reply.Kind);
        Assert.Equal(1UL, reply.Id);
        Assert.Equal("pong"u8.ToArray(), reply.Payload);

        var close = ChannelTestSupport.Receive(channel, client.SealCloseNotify());
        Assert.True(close.Closed);
        Assert.Null(close.Failure);
        var answer = new ArrayBufferWriter<byte>();
        Assert.True(channel.TryWriteClose(answer));
        client.Receive([.. close.Responses, .. answer.WrittenSpan]);
        Assert.True(client.PeerClosed);
    }
}
