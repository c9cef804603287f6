using System.Net.Sockets;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Server.Hosting;
using SecureActors.Server.Listener;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>
/// Connection limits over loopback with loopback's exemption removed: the excess is refused with
/// server_busy and counted, and the connections already admitted carry on. The refused clients do
/// not retry, so each test sees exactly one refusal.
/// </summary>
public sealed class AdmissionTests(ITestOutputHelper output)
{
    // Refusals are logged at debug level (a flood must not flood the console), so the tests read them there.
    private const string NoExemptions = "actors.loglevel = DEBUG\nserver.limits.per-source.exempt = []\n";

    private static Task<SecureClient> ConnectWithoutBusyRetriesAsync(SecureServer server) =>
        TestServers.ConnectAsync(server, TestServers.ClientOptions(server) with { BusyRetries = 0 });

    private static async Task<Socket> ConnectSilentlyAsync(SecureServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Endpoint);
        return socket;
    }

    [Fact]
    public async Task PerSourceConnectionCap_Reached_RefusesTheExcessWithAnAlertAndAdmittedSessionsCarryOn()
    {
        var (server, log) = await TestServers.StartAsync(output, NoExemptions + "server.limits.per-source.max-connections = 2");
        await using (server)
        {
            await using var first = await TestServers.ConnectAsync(server);
            await using var second = await TestServers.ConnectAsync(server);

            var refused = await Assert.ThrowsAsync<ServerBusyException>(() => ConnectWithoutBusyRetriesAsync(server).WaitAsync(Await.Bound));

            Assert.Equal(AlertDescription.ServerBusy, refused.Alert);
            Assert.Equal("first", await first.SendAsync("first"));
            Assert.Equal("second", await second.SendAsync("second"));
            Assert.Equal(1, (await TestServers.ListenerCountsAsync(server)).Refused);
            Assert.Equal(1, server.Metrics.Snapshot().Refused);
            Assert.Contains(log.Messages, m => m.Contains("per-source-connections", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("server.limits.per-source.max-handshaking = 2", "per-source-handshaking")]
    [InlineData("server.limits.max-handshaking = 2\nserver.limits.early-drop-from = 2", "max-handshaking")]
    public async Task HandshakingCap_ReachedBySilentConnections_RefusesNewcomersUntilOneLeaves(string limit, string reason)
    {
        var (server, log) = await TestServers.StartAsync(output, NoExemptions + limit);
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);

            // The client finishes before the listener hears the session is established: wait for that.
            await Await.UntilAsync(async () => (await TestServers.ListenerCountsAsync(server)).Handshaking == 0);
            using var silent1 = await ConnectSilentlyAsync(server);
            using var silent2 = await ConnectSilentlyAsync(server);
            await Await.UntilAsync(async () => (await TestServers.ListenerCountsAsync(server)).Handshaking == 2);

            var refused = await Assert.ThrowsAsync<ServerBusyException>(() => ConnectWithoutBusyRetriesAsync(server).WaitAsync(Await.Bound));

            Assert.Equal(AlertDescription.ServerBusy, refused.Alert);
            Assert.Equal(1, (await TestServers.ListenerCountsAsync(server)).Refused);
            Assert.Contains(log.Messages, m => m.Contains(reason, StringComparison.Ordinal));
            Assert.Equal("unaffected", await bystander.SendAsync("unaffected"));

            silent1.Close();
            await Await.UntilAsync(async () => (await TestServers.ListenerCountsAsync(server)).Handshaking == 1);
            await using var admitted = await TestServers.ConnectAsync(server);
            Assert.Equal("in", await admitted.SendAsync("in"));
        }
    }
}
