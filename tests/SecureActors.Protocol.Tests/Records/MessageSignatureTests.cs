using System.Buffers;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Records;

public sealed class MessageSignatureTests
{
    [Fact]
    public void SignAndVerify_SameRoom_VerifiesAndOtherRoomOrKeyFails()
    {
        var payload = MessageSignature.Sign(TestKeys.Client, "lobby", 7, 1_700_000_000_000, "hi"u8);

        Assert.True(MessageSignature.TryParse(payload, out var message));
        Assert.Equal("hi"u8.ToArray(), message!.Application);
        Assert.True(MessageSignature.Verify(new PeerIdentity(TestKeys.Client.Spki), "lobby", message));
        Assert.False(MessageSignature.Verify(new PeerIdentity(TestKeys.Client.Spki), "other", message));
        Assert.False(MessageSignature.Verify(new PeerIdentity(TestKeys.Other.Spki), "lobby", message));
        Assert.False(MessageSignature.Verify(new PeerIdentity(TestKeys.Client.Spki), "lobby", message with { Application = "ho"u8.ToArray() }));
    }

    [Fact]
    public void ReplayGuard_NonIncreasingCounter_Rejected()
    {
        var guard = new MessageReplayGuard();

        Assert.True(guard.TryAccept("SHA256:a", 1));
        Assert.True(guard.TryAccept("SHA256:a", 2));
        Assert.False(guard.TryAccept("SHA256:a", 2));
        Assert.True(guard.TryAccept("SHA256:b", 1));
    }

    [Fact]
    public void Negotiation_BothSidesEnable_ChannelCarriesSignedFlag()
    {
        var options = ProtocolOptions.Default with { MessageSignatures = true };
        using var client = Loopback.Client(options);
        using var server = Loopback.Server(options);
        var (c, s) = Loopback.Run(client, server);
        var wire = new ArrayBufferWriter<byte>();
        var signed = MessageSignature.Sign(TestKeys.Client, "r", 1, 0, "x"u8);

        Assert.True(c.Last!.Result!.Channel.TryWriteRequest(signed, wire, out _, signed: true));
        var received = Assert.Single(ChannelTestSupport.ReceiveAll(s.Last!.Result!.Channel, wire.WrittenSpan.ToArray()));

        Assert.True(received.Signed);
        Assert.True(c.Last.Result.Channel.MessageSignatures);
        Assert.True(MessageSignature.TryParse(received.Payload, out var message));
        Assert.True(MessageSignature.Verify(new PeerIdentity(TestKeys.Client.Spki), "r", message!));
    }

    [Fact]
    public void Negotiation_OnlyClientEnables_NotNegotiated()
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { MessageSignatures = true });
        using var server = Loopback.Server();

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.False(c.Last.Result!.Channel.MessageSignatures);
    }
}
