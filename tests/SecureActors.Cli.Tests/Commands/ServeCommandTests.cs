using System.Net;
using System.Net.Sockets;

namespace SecureActors.Cli.Tests.Commands;

// `secure-actors serve` warns about settings it does not know, naming where they were written, and still starts;
// here the port is taken, so the command ends at once with its bind error after the warning.
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_UnknownSetting_WarnsWithItsOriginBeforeStarting()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await SecureActorsCli.RunAsync(
            ["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "server.protocol.client-auth = required"],
            output,
            error);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, exit);
        Assert.Contains("unknown setting server.protocol.client-auth; it has no effect", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines.Skip(1), line => line.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("server.limits.max-connections = -5", "server.limits.max-connections = -5 must be at least 1")]
    [InlineData("actors.loglevel = LOUD", "actors.loglevel = LOUD is not a log level")]
    [InlineData("actors.actor.default-dispatcher.throughput = 0", "actors.actor.default-dispatcher.throughput = 0 must be at least 1")]
    [InlineData("server.crypto.dispatcher.dedicated-thread-pool.thread-count = 0", "server.crypto.dispatcher.dedicated-thread-pool.thread-count = 0 must be at least 1")]
    public async Task Serve_InvalidSetting_OneLocatedLineAndExitOne(string setting, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await SecureActorsCli.RunAsync(["serve", "--port", "0", "-c", setting], output, error);

        var problem = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(line => line.StartsWith("[!]", StringComparison.Ordinal));
        Assert.Equal(1, exit);
        Assert.Contains($"[!] command-line override #1 '{setting}':1: {expected}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_UnreadableKnownHosts_OneLineNamingTheFileLineAndExitTwo()
    {
        var knownHosts = Path.Combine(Path.GetTempPath(), $"sa-bad-known-hosts-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(knownHosts, "garbage line here\n");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exit = await SecureActorsCli.RunAsync(["load", "--port", "1", "--connections", "1", "--messages", "1", "--known-hosts", knownHosts], output, error);

            // The report console wraps long lines at its width; the words are what matter.
            var printed = (output.ToString() + error.ToString()).ReplaceLineEndings(" ");
            Assert.Equal(2, exit);
            Assert.Contains("[!] cannot read the known_hosts file", printed, StringComparison.Ordinal);
            Assert.Contains(":1: 'garbage' is not host:port", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(knownHosts);
        }
    }
}
