using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>
/// The client's result says whether it proved its key: PROTOCOL.md §12 lets a client sign messages
/// only then, even when per-message signatures were negotiated.
/// </summary>
public sealed class ClientProvedIdentityTests
{
    [Theory]
    [InlineData(ClientAuthPolicy.None, false)]
    [InlineData(ClientAuthPolicy.Optional, true)]
    [InlineData(ClientAuthPolicy.Required, true)]
    public void ClientWithKey_ProvesItOnlyWhenTheServerAsks(ClientAuthPolicy policy, bool expected)
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = policy, MessageSignatures = true };
        using var client = Loopback.Client(options, identity: TestKeys.Client);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("alice"));

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.True(c.Last.Result!.Channel.MessageSignatures);
        Assert.Equal(expected, c.Last.Result.ClientProvedIdentity);
        Assert.Equal(expected, s.Last!.Result!.Peer is not null);
    }

    [Fact]
    public void ClientWithoutKey_NeverProvesOne()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Optional };
        using var client = Loopback.Client(options);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("alice"));

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.False(c.Last.Result!.ClientProvedIdentity);
    }
}
