using System.Net;
using System.Net.Sockets;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>The cheap DoS rows that need per-source limits on loopback (44) or a small outbound queue (48); table in <see cref="HostileCatalogueTests"/>.</summary>
public sealed class HostileDosTests(DosServerFixture fixture) : IClassFixture<DosServerFixture>
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");

    [Fact]
    public Task Server_HundredIdleConnectionsFromOneAddress_ExcessRefusedAndOtherAddressesServed() => ChainAsync(async () =>
    {
        var idle = new List<HostilePeer>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                idle.Add(await HostilePeer.ConnectAsync(fixture.Endpoint, localAddress: Attacker));
            }

            // Admitted connections stay silent (their deadline is 10 s); refused ones get server_busy and a close.
            var outcomes = await Task.WhenAll(idle.Select(OutcomeAsync));

            Assert.Equal(8, outcomes.Count(o => o == "admitted"));
            Assert.Equal(92, outcomes.Count(o => o == "refused"));
            await using var neighbour = await HostilePeer.ConnectAsync(fixture.Endpoint, localAddress: Neighbour);
            await neighbour.HandshakeAsync();
            await neighbour.EchoAsync("another address is served");
            await neighbour.CloseAsync();
        }
        finally
        {
            foreach (var peer in idle)
            {
                await peer.DisposeAsync();
            }
        }
    });

    [Fact]
    public Task Server_ClientNeverReads_OnlyThatSessionIsDropped() => ChainAsync(async () =>
    {
        await using var sleeper = await HostilePeer.ConnectAsync(fixture.Endpoint, receiveBuffer: 4096);
        await sleeper.HandshakeAsync();
        var payload = new byte[16_000];
        bool Dropped() => fixture.AnyLog(sleeper.LocalEndpoint, m => m.Contains("stopped reading", StringComparison.Ordinal));
        try
        {
            // Bounded: at most 4,000 × 16 kB are offered; the server drops us long before.
            for (var i = 0; i < 4000 && (i % 16 != 0 || !Dropped()); i++)
            {
                await sleeper.SendAsync(sleeper.SealRequest(payload));
            }
        }
        catch (SocketException)
        {
            // Reset mid-write: the drop we are waiting for.
        }

        await fixture.AwaitLogAsync(sleeper.LocalEndpoint, m => m.Contains("stopped reading", StringComparison.Ordinal));
    });

    private static async Task<string> OutcomeAsync(HostilePeer peer)
    {
        try
        {
            var record = await peer.ReadRecordAsync(TimeSpan.FromSeconds(1.5));
            // 15 00 02 02 F0: a plaintext fatal server_busy alert (PROTOCOL.md §4).
            return record is [0x15, 0, 2, 2, 0xF0] ? "refused" : $"unexpected {Convert.ToHexString(record ?? [])}";
        }
        catch (TimeoutException)
        {
            return "admitted";
        }
    }

    private async Task ChainAsync(Func<Task> attack)
    {
        await SanityAsync("before");
        await attack();
        await SanityAsync("after");
        await fixture.Bystander.AssertUnharmedAsync();
    }

    private async Task SanityAsync(string tag)
    {
        await using var peer = await HostilePeer.EstablishAsync(fixture.Endpoint);
        await peer.EchoAsync($"sanity {tag}");
        await peer.CloseAsync();
    }
}
