using System.Net;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Identity;

public sealed class AuthorizedClientsTests
{
    private static string Key(LocalIdentity key) => Convert.ToBase64String(key.Spki.Span);

    [Fact]
    public void Authorize_ListedKey_ReturnsDisplayNameFromFile()
    {
        var file = AuthorizedClients.Parse([$"sap-rsa {Key(TestKeys.Client)} Alice Example"], "ac");

        Assert.Equal("Alice Example", file.Authorize(new PeerIdentity(TestKeys.Client.Spki), null));
        Assert.Null(file.Authorize(new PeerIdentity(TestKeys.Other.Spki), null));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.9.9.9", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("2001:db8::5", true)]
    [InlineData("2001:db9::5", false)]
    public void Authorize_FromRestriction_MatchesSourceAddress(string address, bool allowed)
    {
        var file = AuthorizedClients.Parse([$"from=\"10.0.0.0/8, 2001:db8::/32\" sap-rsa {Key(TestKeys.Client)} bob"], "ac");

        var name = file.Authorize(new PeerIdentity(TestKeys.Client.Spki), IPAddress.Parse(address));

        Assert.Equal(allowed ? "bob" : null, name);
    }

    [Theory]
    [InlineData("sap-rsa", 1)]
    [InlineData("from=\"10.0.0.0/33\" sap-rsa AAAA x", 1)]
    [InlineData("from=\"10.0.0.0/8 sap-rsa AAAA x", 1)]
    [InlineData("ssh-rsa AAAA x", 1)]
    [InlineData("sap-rsa !!!! x", 1)]
    public void Parse_MalformedLine_ErrorNamesFileAndLine(string line, int expectedLine)
    {
        var ex = Assert.Throws<KeyFileException>(() => AuthorizedClients.Parse(["# comment", "", line], "authorized_clients"));

        Assert.StartsWith($"authorized_clients:{expectedLine + 2}:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WeakKey_ErrorNamesLine()
    {
        var weak = Convert.ToBase64String(TestKeys.Weak1024.ExportSubjectPublicKeyInfo());

        var ex = Assert.Throws<KeyFileException>(() => AuthorizedClients.Parse([$"sap-rsa {weak} weak"], "ac"));

        Assert.StartsWith("ac:1:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handshake_UnlistedClientKey_AccessDenied()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        var file = AuthorizedClients.Parse([$"sap-rsa {Key(TestKeys.Other)} someone-else"], "ac");
        using var client = Loopback.Client(options, identity: TestKeys.Client);
        using var server = Loopback.Server(options, authorizer: file);

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.AccessDenied, s.Last!.Failure!.Alert);
        Assert.Contains(TestKeys.Client.Fingerprint, s.Last.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
    }
}
