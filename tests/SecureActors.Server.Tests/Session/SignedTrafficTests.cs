using System.Text;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Server.Crypto;
using SecureActors.Server.Session;
using SecureActors.Server.Tests.Support;

namespace SecureActors.Server.Tests.Session;

public sealed class SignedTrafficTests
{
    private const string Room = "0123456789abcdef0123456789abcdef";

    private static readonly Lazy<LocalIdentity> Client = new(() => LocalIdentity.Generate(2048));

    private static SignedTraffic FromSigningClient() => new(new MessageSignatureReceiver(new PeerIdentity(Client.Value.Spki), Room));

    private static byte[] Signed(ulong counter, string text) =>
        MessageSignature.Sign(Client.Value, Room, counter, 0, Encoding.UTF8.GetBytes(text));

    private static CryptoProtocol.VerifyMessage Admitted(SignedTraffic traffic, ulong id, string text)
    {
        Assert.Null(traffic.Admit(MessageKind.Request, id, true, Signed(id, text), out var verify));
        return verify!;
    }

    [Fact]
    public void Verification_FinishesOutOfOrder_RequestsAreReleasedInRequestOrder()
    {
        var traffic = FromSigningClient();
        var verifications = Enumerable.Range(1, 3).Select(i => Admitted(traffic, (ulong)i, $"request {i}")).ToList();
        var released = new List<string>();

        foreach (var verify in verifications.AsEnumerable().Reverse())
        {
            Assert.Null(traffic.OnVerified(new CryptoProtocol.MessageVerified(verify.CorrelationId, true), out var known));
            Assert.True(known);
            while (traffic.TryTakeVerifiedRequest(out var id, out var application))
            {
                released.Add($"{id}:{Encoding.UTF8.GetString(application.Span)}");
            }
        }

        Assert.Equal(["1:request 1", "2:request 2", "3:request 3"], released);
    }

    [Fact]
    public void Verification_Fails_DecryptErrorNamingTheRequest()
    {
        var traffic = FromSigningClient();
        var verify = Admitted(traffic, 1, "x");

        var failure = traffic.OnVerified(new CryptoProtocol.MessageVerified(verify.CorrelationId, false), out _);

        Assert.Equal(AlertDescription.DecryptError, failure?.Alert);
        Assert.StartsWith("request 1:", failure!.Reason, StringComparison.Ordinal);
        Assert.False(traffic.TryTakeVerifiedRequest(out _, out _));
    }

    [Fact]
    public void Signing_FinishesOutOfOrder_MessagesLeaveInCounterOrderWithConsecutiveCounters()
    {
        var traffic = FromSigningClient();
        var reply1 = traffic.Enqueue(MessageKind.Reply, 1, "r1"u8.ToArray(), 0);
        var push = traffic.Enqueue(MessageKind.Push, 0, "p"u8.ToArray(), 0);
        var reply2 = traffic.Enqueue(MessageKind.Reply, 2, "r2"u8.ToArray(), 0);

        Assert.Equal([1UL, 2UL, 3UL], new[] { reply1.Counter, push.Counter, reply2.Counter });
        Assert.True(traffic.OnSigned(new CryptoProtocol.MessageSigned(reply2.CorrelationId, [3])));
        Assert.True(traffic.OnSigned(new CryptoProtocol.MessageSigned(push.CorrelationId, [2])));
        Assert.False(traffic.TryTakeSigned(out _, out _, out _));
        Assert.Equal(3, traffic.Outgoing);

        Assert.True(traffic.OnSigned(new CryptoProtocol.MessageSigned(reply1.CorrelationId, [1])));
        var sent = new List<(MessageKind, ulong, byte)>();
        while (traffic.TryTakeSigned(out var kind, out var requestId, out var payload))
        {
            sent.Add((kind, requestId, payload.Span[0]));
        }

        Assert.Equal([(MessageKind.Reply, 1UL, (byte)1), (MessageKind.Push, 0UL, (byte)2), (MessageKind.Reply, 2UL, (byte)3)], sent);
        Assert.Equal(0, traffic.Outgoing);
    }

    [Fact]
    public void Results_AfterClear_AreRecognisedAsStale()
    {
        var traffic = FromSigningClient();
        var verify = Admitted(traffic, 1, "x");
        var sign = traffic.Enqueue(MessageKind.Reply, 1, "y"u8.ToArray(), 0);

        traffic.Clear();

        Assert.Null(traffic.OnVerified(new CryptoProtocol.MessageVerified(verify.CorrelationId, true), out var known));
        Assert.False(known);
        Assert.False(traffic.OnSigned(new CryptoProtocol.MessageSigned(sign.CorrelationId, [1])));
        Assert.Null(traffic.OldestInFlight);
    }

    [Fact]
    public void OldestInFlight_TracksTheEarliestOperationStillAwaited()
    {
        var traffic = FromSigningClient();
        var first = Admitted(traffic, 1, "a");
        var second = traffic.Enqueue(MessageKind.Reply, 1, "b"u8.ToArray(), 0);

        Assert.Equal(first.CorrelationId, traffic.OldestInFlight);
        traffic.OnVerified(new CryptoProtocol.MessageVerified(first.CorrelationId, true), out _);

        Assert.Equal(second.CorrelationId, traffic.OldestInFlight);
        Assert.True(traffic.OnFailed(new CryptoProtocol.MessageCryptoFailed(second.CorrelationId, "test")));
        Assert.Null(traffic.OldestInFlight);
    }

    [Fact]
    public void Admit_AnonymousClientUnsigned_NeedsNoVerification()
    {
        var traffic = new SignedTraffic(new MessageSignatureReceiver(null, Room));

        Assert.Null(traffic.Admit(MessageKind.Request, 1, false, "plain"u8, out var verify));

        Assert.Null(verify);
        Assert.False(traffic.ClientSigns);
        Assert.Null(traffic.OldestInFlight);
    }
}
