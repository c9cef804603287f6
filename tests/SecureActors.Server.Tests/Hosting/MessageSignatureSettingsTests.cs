using SecureActors.Hocon;

namespace SecureActors.Server.Tests.Hosting;

public sealed class MessageSignatureSettingsTests
{
    private static ServerSettings Bind(string hocon) =>
        ServerSettings.FromConfig(ConfigFactory.ParseString(hocon).WithFallback(ServerSettings.Reference));

    [Fact]
    public void Settings_EmbeddedDefaults_MessageSignaturesOff()
    {
        Assert.False(Bind("").Identity.Protocol.MessageSignatures);
    }

    [Theory]
    [InlineData("optional")]
    [InlineData("required")]
    public void Settings_MessageSignaturesOnWithClientAuthentication_ReachTheProtocolOptions(string policy)
    {
        var settings = Bind($"server.protocol.message-signatures = on\nserver.client-auth.policy = {policy}");

        Assert.True(settings.Identity.Protocol.MessageSignatures);
    }

    [Fact]
    public void Settings_MessageSignaturesOnWithoutClientAuthentication_FailsNamingBothKeys()
    {
        var error = Assert.Throws<ConfigException>(() => Bind("server.protocol.message-signatures = on"));

        Assert.Contains("server.protocol.message-signatures", error.Message, StringComparison.Ordinal);
        Assert.Contains("server.client-auth.policy", error.Message, StringComparison.Ordinal);
    }
}
