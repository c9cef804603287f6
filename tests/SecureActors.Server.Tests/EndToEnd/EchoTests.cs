using System.Text;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

public sealed class EchoTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Server_OneClientSendsAMessage_EchoesItBack()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            var reply = await client.SendAsync("hello, server");
            Assert.Equal("hello, server", reply);
            await client.CloseAsync();
        }
    }
}
