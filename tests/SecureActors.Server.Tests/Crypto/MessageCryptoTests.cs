using SecureActors.Actors.Actor;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Server.Crypto;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Crypto;

public sealed class MessageCryptoTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    private const string Room = "0123456789abcdef0123456789abcdef";

    private static readonly Lazy<LocalIdentity> Client = new(() => LocalIdentity.Generate(2048));

    [Fact]
    public async Task Worker_SignMessage_ReturnsAPayloadThatVerifiesWithTheServerKey()
    {
        var worker = Sys.ActorOf(CryptoWorker.Props(TestServers.Identity, null, 0));

        worker.Tell(new CryptoProtocol.SignMessage(7, Room, 3, 1_700_000_000_000, "reply"u8.ToArray()));

        var signed = await ExpectMsgAsync<CryptoProtocol.MessageSigned>();
        Assert.Equal(7, signed.CorrelationId);
        Assert.True(MessageSignature.TryParse(signed.Payload, out var message));
        Assert.Equal(3UL, message!.Counter);
        Assert.Equal("reply"u8.ToArray(), message.Application);
        Assert.True(MessageSignature.Verify(new PeerIdentity(TestServers.Identity.Spki), Room, message));
    }

    [Fact]
    public async Task Worker_VerifyMessage_ValidForTheRightRoomAndInvalidForAnother()
    {
        var worker = Sys.ActorOf(CryptoWorker.Props(TestServers.Identity, null, 0));
        var client = new PeerIdentity(Client.Value.Spki);
        Assert.True(MessageSignature.TryParse(MessageSignature.Sign(Client.Value, Room, 1, 0, "request"u8), out var message));

        worker.Tell(new CryptoProtocol.VerifyMessage(1, client, Room, message!));
        worker.Tell(new CryptoProtocol.VerifyMessage(2, client, "another room", message!));

        Assert.Equal(new CryptoProtocol.MessageVerified(1, true), await ExpectMsgAsync<CryptoProtocol.MessageVerified>());
        Assert.Equal(new CryptoProtocol.MessageVerified(2, false), await ExpectMsgAsync<CryptoProtocol.MessageVerified>());
    }

    [Fact]
    public void PeerKeyCache_SameClientTwice_ImportsOnceAndStartsAgainWhenFull()
    {
        using var cache = new PeerKeyCache(capacity: 2);
        var client = new PeerIdentity(Client.Value.Spki);

        var first = cache.Get(client);
        var again = cache.Get(client);
        cache.Get(new PeerIdentity(TestServers.Identity.Spki));
        Assert.Equal(2, cache.Count);
        cache.Get(new PeerIdentity(LocalIdentity.Generate(2048).Spki));

        Assert.NotNull(first);
        Assert.Same(first, again);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void PeerKeyCache_KeyRefusedByThePolicy_ReturnsNullWithTheAlert()
    {
        using var cache = new PeerKeyCache(capacity: 2);
        using var weak = System.Security.Cryptography.RSA.Create(1024);

        Assert.Null(cache.Get(new PeerIdentity(weak.ExportSubjectPublicKeyInfo())));
        Assert.Null(cache.KeyFor(weak.ExportSubjectPublicKeyInfo(), out var failure));
        Assert.Equal(AlertDescription.BadCertificate, failure!.Alert);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void PeerKeyCache_HandshakeAndMessageLookups_ShareOneImport()
    {
        using var cache = new PeerKeyCache(capacity: 2);
        var client = new PeerIdentity(Client.Value.Spki);

        var forHandshake = cache.KeyFor(client.Spki.Span, out var failure);
        var forMessages = cache.Get(client);

        Assert.Null(failure);
        Assert.NotNull(forHandshake);
        Assert.Same(forHandshake, forMessages);
        Assert.Equal(1, cache.Count);
    }
}
