using SecureActors.Hocon;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Tests;

public sealed class SecureClientOptionsTests
{
    [Fact]
    public void Default_ReferenceConf_BindsEveryClientKey()
    {
        var options = SecureClientOptions.Default;

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(8820, options.Port);
        Assert.Null(options.IdentityKeyPath);
        Assert.Null(options.ServerFingerprint);
        Assert.Equal(HostKeyCheckMode.AcceptNew, options.KnownHostsMode);
        Assert.Equal([CipherSuite.Aes128GcmSha256, CipherSuite.Aes256GcmSha384, CipherSuite.ChaCha20Poly1305Sha256], options.Suites);
        Assert.Equal([NamedGroup.Secp256r1, NamedGroup.Secp384r1], options.Groups);
        Assert.Equal([NamedGroup.Secp256r1], options.KeyShareGroups);
        Assert.Equal(1 << 20, options.MaxMessageSize);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.False(options.EnableClassroom);
        Assert.Equal(3, options.BusyRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.BusyBackoff);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BusyBackoffMax);
        options.ToProtocolOptions().Validate();
    }

    [Theory]
    [InlineData("client.message-batching = on", true)]
    [InlineData("client.message-batching = off", false)]
    public void FromConfig_MessageBatching_ReachesTheProtocolOptions(string setting, bool expected)
    {
        var options = SecureClientOptions.FromConfig(ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], [setting]));

        Assert.Equal(expected, options.MessageBatching);
        Assert.Equal(expected, options.ToProtocolOptions().MessageBatching);
    }

    [Fact]
    public void FromConfig_BusyRetryKeys_BindFromTheConnectSection()
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig],
            ["client.connect.busy-retries = 0", "client.connect.busy-backoff = 250ms", "client.connect.busy-backoff-max = 10s"]);

        var options = SecureClientOptions.FromConfig(config);

        Assert.Equal(0, options.BusyRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.BusyBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), options.BusyBackoffMax);
    }

    [Theory]
    [InlineData("client.connect.busy-retries = -1", "client.connect.busy-retries")]
    [InlineData("client.connect.busy-backoff = 0s", "client.connect.busy-backoff")]
    [InlineData("client.connect.busy-backoff-max = 50ms", "client.connect.busy-backoff-max")]
    public void FromConfig_BusyRetryKeyOutOfRange_ThrowsNamingTheKey(string setting, string key)
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], [setting]);

        var error = Assert.Throws<ConfigException>(() => SecureClientOptions.FromConfig(config));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_UserOverrides_WinOverReference()
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig],
            ["client.port = 9000", "client.cipher-suites = [chacha20-poly1305-sha256]", "client.request-timeout = infinite", "client.known-hosts-mode = strict"]);

        var options = SecureClientOptions.FromConfig(config);

        Assert.Equal(9000, options.Port);
        Assert.Equal([CipherSuite.ChaCha20Poly1305Sha256], options.Suites);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.RequestTimeout);
        Assert.Equal(HostKeyCheckMode.Strict, options.KnownHostsMode);
    }

    [Fact]
    public void FromConfig_UnknownSuite_ThrowsNamingTheChoices()
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], ["client.cipher-suites = [rot13]"]);

        var error = Assert.Throws<ConfigException>(() => SecureClientOptions.FromConfig(config));

        Assert.Contains("aes128-gcm-sha256", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client.connect-timeout = -1 s", "client.connect-timeout = -1 s must be longer than zero")]
    [InlineData("client.request-timeout = 0 s", "client.request-timeout = 0 s must be longer than zero")]
    [InlineData("client.push-buffer = -3", "client.push-buffer = -3 must be at least 1")]
    [InlineData("client.port = 0", "client.port = 0 must be between 1 and 65,535")]
    [InlineData("client.max-message-size = 0", "client.max-message-size = 0 must be 1 bytes to")]
    [InlineData("client.groups = [secp256r1, nope]", "client.groups = [\"secp256r1\",\"nope\"] holds 'nope', which is not one of secp256r1")]
    [InlineData("client.known-hosts-mode = trusting", "client.known-hosts-mode = trusting is not strict or accept-new")]
    [InlineData("client.load.connections = -1", "client.load.connections = -1 must be at least 1")]
    [InlineData("client.load.size = 8", "client.load.size = 8 must be 16 bytes to")]
    [InlineData("client.load.rate = -2", "client.load.rate = -2 must be zero or a positive number")]
    [InlineData("client.load.max-duration = 0 s", "client.load.max-duration = 0 s must be longer than zero")]
    public void FromConfig_ValueOutOfBounds_RefusedWhereItWasWritten(string setting, string expected)
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], [setting]);

        var error = Assert.Throws<ConfigException>(() =>
        {
            _ = SecureClientOptions.FromConfig(config);
            _ = SecureActors.Client.Load.LoadSettings.FromConfig(config);
        });

        Assert.StartsWith("command-line override #1", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
