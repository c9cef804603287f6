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
    public void Receiver_NonIncreasingCounter_IllegalParameter()
    {
        var receiver = new MessageSignatureReceiver(new PeerIdentity(TestKeys.Client.Spki), "r");

        Assert.Null(receiver.Admit(true, MessageSignature.Sign(TestKeys.Client, "r", 1, 0, "a"u8), "m1", out _));
        Assert.Null(receiver.Admit(true, MessageSignature.Sign(TestKeys.Client, "r", 2, 0, "b"u8), "m2", out _));
        var replayed = receiver.Admit(true, MessageSignature.Sign(TestKeys.Client, "r", 2, 0, "c"u8), "m3", out _);

        Assert.Equal(AlertDescription.IllegalParameter, replayed?.Alert);
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
