using SecureActors.Server.Tests.Support;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>
/// Brief row 41, its threshold half, on the wire: with `server.protocol.key-update.after-records`
/// set to 10 the server changes its sending key every 10 records, and the session carries on.
/// (The other half, a sequence number injected near 2^64, cannot be reached from outside; the
/// SecureChannel unit tests cover it.)
/// </summary>
public sealed class HostileKeyUpdateThresholdTests
{
    [Fact]
    public async Task Server_KeyUpdateThresholdOfTenRecords_UpdatesEveryTenRepliesAndEchoContinues()
    {
        var (server, _) = await TestServers.StartAsync(null, "server.protocol.key-update.after-records = 10");
        await using (server)
        {
            await using var peer = await HostilePeer.EstablishAsync(server.Endpoint);
            var firstKey = peer.Receive!.Secret.ToArray();

            for (var i = 1; i <= 25; i++)
            {
                await peer.EchoAsync($"message {i}");
            }

            // 25 replies: 10 under the first key, a KeyUpdate, 10 under the second, a KeyUpdate, 5 more.
            Assert.Equal(2, peer.ServerKeyUpdates);
            Assert.NotEqual(firstKey, peer.Receive.Secret);
            await peer.CloseAsync();
        }
    }

    [Fact]
    public async Task Server_DefaultThreshold_NoKeyUpdateInAShortSession()
    {
        var (server, _) = await TestServers.StartAsync(null, "");
        await using (server)
        {
            await using var peer = await HostilePeer.EstablishAsync(server.Endpoint);

            for (var i = 1; i <= 25; i++)
            {
                await peer.EchoAsync($"message {i}");
            }

            Assert.Equal(0, peer.ServerKeyUpdates);
            await peer.CloseAsync();
        }
    }
}
