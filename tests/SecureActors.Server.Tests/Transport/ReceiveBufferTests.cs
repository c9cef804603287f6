using SecureActors.Protocol.Framing;
using SecureActors.Server.Tests.Support;
using SecureActors.Server.Transport;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Transport;

public sealed class ReceiveBufferTests(ITestOutputHelper output)
{
    [Fact]
    public void DefaultReceiveBuffer_HoldsTheLargestRecordWhole()
    {
        var settings = TransportSettings.FromConfig(new Hocon.SettingsSection(ServerSettings.Reference.GetConfig("server.transport"), "server.transport"));

        Assert.True(settings.ReceiveBuffer >= FrameLimits.MaxRecordOnWire, $"{settings.ReceiveBuffer} < {FrameLimits.MaxRecordOnWire}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(16384)]
    public async Task ReceiveBufferSmallerThanARecord_RecordsArriveWhole(int size)
    {
        var (server, _) = await TestServers.StartAsync(output, "server.transport.receive-buffer = 1 KiB");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            var request = new byte[size];
            new Random(size).NextBytes(request);

            for (var i = 0; i < 3; i++)
            {
                var reply = await client.SendAsync(request);
                Assert.Equal(request, reply.ToArray());
            }

            await client.CloseAsync();
        }
    }
}
