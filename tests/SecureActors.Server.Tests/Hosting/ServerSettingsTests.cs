using SecureActors.Hocon;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Server.Tests.Hosting;

public sealed class ServerSettingsTests
{
    [Fact]
    public void Settings_EmbeddedDefaults_BindEveryKey()
    {
        var settings = ServerSettings.FromConfig(ServerSettings.Reference);

        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(8820, settings.Port);
        Assert.Equal(ClientAuthPolicy.None, settings.Identity.ClientAuth);
        Assert.True(settings.Session.MaxInFlight > 0);
        Assert.True(settings.Stats.Enabled);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("server.protocol.message-batching = off", false)]
    public void Settings_MessageBatching_BindsToTheProtocolOptions(string hocon, bool expected)
    {
        var config = ConfigFactory.ParseString(hocon).WithFallback(ServerSettings.Reference);

        Assert.Equal(expected, ServerSettings.FromConfig(config).Identity.Protocol.MessageBatching);
    }

    [Fact]
    public void Settings_UnknownClientAuthPolicy_FailsNamingTheKey()
    {
        var config = ConfigFactory.ParseString("server.client-auth.policy = sometimes").WithFallback(ServerSettings.Reference);

        var error = Assert.Throws<ConfigException>(() => ServerSettings.FromConfig(config));

        Assert.Contains("server.client-auth.policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_DocumentedUserFile_OverridesTheDefaults()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "server.conf");
        var config = ConfigFactory.ParseFile(file).WithFallback(ServerSettings.Reference);

        var settings = ServerSettings.FromConfig(config);

        Assert.Equal(8820, settings.Port);
        Assert.Empty(ServerSettings.UnknownSettings(config));
    }

    [Fact]
    public void UnknownSettings_MisplacedAndMisspeltKeys_ReportedWithWhereTheyWereWritten()
    {
        var config = ConfigFactory.ParseString(
            """
            server.port = 9000
            server.protocol.client-auth = required
            server.limts.max-connections = 5
            server.crypto.dispatcher.throughput-deadline-time = 1 ms
            """,
            "site.conf").WithFallback(ServerSettings.Reference);

        var unknown = ServerSettings.UnknownSettings(config);

        Assert.Equal(["server.protocol.client-auth", "server.limts"], unknown.Select(u => u.Path));
        Assert.Equal("site.conf:2", unknown[0].Origin.ToString());
        Assert.Equal("site.conf:3", unknown[1].Origin.ToString());
    }

    [Fact]
    public void UnknownSettings_EmbeddedDefaultsAlone_NoneReported() =>
        Assert.Empty(ServerSettings.UnknownSettings(ServerSettings.Reference));
}
