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

    [Theory]
    [InlineData("server.port = 70000", "server.port = 70000 must be between 0 and 65,535")]
    [InlineData("server.backlog = 0", "server.backlog = 0 must be at least 1")]
    [InlineData("server.listener.restart-window = 0 s", "server.listener.restart-window = 0 s must be longer than zero")]
    [InlineData("server.identity.key-bits = 1024", "server.identity.key-bits = 1024 must be between 2,048 and 4,096")]
    [InlineData("server.protocol.max-message-size = 0", "server.protocol.max-message-size = 0 must be 1 bytes to")]
    [InlineData("server.protocol.key-update.after-records = 0", "server.protocol.key-update.after-records = 0 must be at least 1")]
    [InlineData("server.protocol.groups = [secp256r1, nope]", "server.protocol.groups = [\"secp256r1\",\"nope\"] holds 'nope', which is not a known group")]
    [InlineData("server.protocol.cipher-suites = []", "server.protocol.cipher-suites = [] is refused: CipherSuites must list")]
    [InlineData("server.limits.max-connections = -5", "server.limits.max-connections = -5 must be at least 1")]
    [InlineData("server.limits.per-source.handshakes-per-second = 0", "server.limits.per-source.handshakes-per-second = 0 must be a positive number")]
    [InlineData("server.limits.per-source.exempt = [\"10.0.0.300\"]", "server.limits.per-source.exempt = [\"10.0.0.300\"] holds '10.0.0.300', which is not an IP address")]
    [InlineData("server.limits.refusal-linger = -1 s", "server.limits.refusal-linger = -1 s must not be negative")]
    [InlineData("server.session.handshake-timeout = -1 s", "server.session.handshake-timeout = -1 s must be longer than zero")]
    [InlineData("server.session.max-in-flight = 0", "server.session.max-in-flight = 0 must be at least 1")]
    [InlineData("server.transport.receive-buffer = 100", "server.transport.receive-buffer = 100 must be 1 KiB to 65,536 KiB")]
    [InlineData("server.handler.type = nope", "server.handler.type = nope is not a built-in handler")]
    [InlineData("server.handler.max-restarts = -1", "server.handler.max-restarts = -1 must be at least 0")]
    [InlineData("server.shutdown.drain-timeout = -2 s", "server.shutdown.drain-timeout = -2 s must not be negative")]
    [InlineData("server.stats.interval = 0 s", "server.stats.interval = 0 s must be longer than zero")]
    [InlineData("server.testing.crypto-fault-every = -1", "server.testing.crypto-fault-every = -1 must be at least 0")]
    public void Settings_ValueOutOfBounds_RefusedWithItsLineFullPathAndRule(string line, string expected)
    {
        var config = ConfigFactory.ParseString("# a user's file\n" + line, new ConfigParseOptions { OriginDescription = "server.conf" }).WithFallback(ServerSettings.Reference);

        var error = Assert.Throws<ConfigException>(() => ServerSettings.FromConfig(config));

        Assert.StartsWith("server.conf:2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_ValuesOnTheirBounds_Accepted()
    {
        var config = ConfigFactory.ParseString(
            """
            server.port = 0
            server.bind-retry-delay = 0 s
            server.identity.key-bits = 4096
            server.limits.early-drop-from = 0
            server.limits.refusal-linger = 0 s
            """).WithFallback(ServerSettings.Reference);

        var settings = ServerSettings.FromConfig(config);

        Assert.Equal(0, settings.Port);
        Assert.Equal(TimeSpan.Zero, settings.BindRetryDelay);
        Assert.Equal(4096, settings.Identity.KeyBits);
        Assert.Equal(0, settings.Limits.EarlyDropFrom);
        Assert.Equal(TimeSpan.Zero, settings.Limits.RefusalLinger);
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
