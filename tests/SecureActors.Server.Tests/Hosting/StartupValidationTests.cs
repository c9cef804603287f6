using SecureActors.Hocon;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Hosting;

public sealed class StartupValidationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("server.crypto.dispatcher.dedicated-thread-pool.thread-count = 0", "server.crypto.dispatcher.dedicated-thread-pool.thread-count = 0 must be at least 1")]
    [InlineData("server.crypto.dispatcher.throughput = -1", "server.crypto.dispatcher.throughput = -1 must be at least 1")]
    public async Task Server_InvalidCryptoDispatcher_RefusesToStartNamingTheSetting(string setting, string expected)
    {
        // Without the startup check the pool's dispatcher fails inside the server actor, and the server listens with no crypto.
        var refused = await Assert.ThrowsAsync<ConfigException>(() => TestServers.StartAsync(output, setting));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("test:", refused.Message, StringComparison.Ordinal);
    }
}
