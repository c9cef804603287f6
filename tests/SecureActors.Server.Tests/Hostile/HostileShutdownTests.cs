using System.Diagnostics;
using SecureActors.Protocol;
using SecureActors.Server.Tests.Support;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>Row 53 (SIGTERM with 50 sessions) on a server of its own, since it ends that server; table in <see cref="HostileCatalogueTests"/>.</summary>
public sealed class HostileShutdownTests
{
    [Fact]
    public async Task Server_StoppedWithFiftySessions_CloseNotifyToAllAndExitsInTime()
    {
        var (server, _) = await TestServers.StartAsync(null, "server.shutdown.drain-timeout = 2 s");
        var peers = new List<HostilePeer>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var peer = await HostilePeer.EstablishAsync(server.Endpoint);
                peers.Add(peer);
                await peer.EchoAsync($"session {i}");
            }

            var started = Stopwatch.GetTimestamp();
            var stopping = server.StopAsync();

            // Every session hears close_notify, answers it, and is closed.
            await Task.WhenAll(peers.Select(async peer =>
            {
                Assert.Equal(AlertDescription.CloseNotify, await peer.ReadAlertAsync());
                Assert.True(peer.AlertSeen!.Value.Protected);
                await peer.SendAsync(peer.Send!.Seal([1, 0], 0x15));
                await peer.ExpectEofAsync();
            }));
            await stopping.WaitAsync(TimeSpan.FromSeconds(15));

            Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }

            await server.DisposeAsync();
        }
    }
}
