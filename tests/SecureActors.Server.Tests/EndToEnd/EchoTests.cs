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

    [Fact]
    public async Task Server_ReplyLongerThanTheClientsMaxMessageSize_EndsTheSessionWithInternalErrorAndAClearLogLine()
    {
        var (server, log) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var small = await TestServers.ConnectAsync(server, TestServers.ClientOptions(server) with { MaxMessageSize = 100 });
            Assert.Equal(new string('a', 100), await small.SendAsync(new string('a', 100)));

            var refused = await Assert.ThrowsAnyAsync<SecureActors.Client.SecureClientException>(() => small.SendAsync(new string('b', 101)));

            Assert.Equal(SecureActors.Protocol.AlertDescription.InternalError, refused.Alert);
            Assert.True(refused.ReceivedFromServer);
            Assert.Contains(log.Messages, m => m.Contains("the reply to request 2 is 101 bytes, over the client's max_message_size of 100", StringComparison.Ordinal));
            Assert.DoesNotContain(log.Events, e => e.Exception is not null);

            // Only that session ended.
            await using var other = await TestServers.ConnectAsync(server);
            Assert.Equal("still here", await other.SendAsync("still here"));
        }
    }

    [Fact]
    public async Task Server_ClientSendsExit_LogsACleanCloseAtDebug()
    {
        var (server, log) = await TestServers.StartAsync(output, "actors.loglevel = DEBUG");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            Assert.Equal("bye", await client.SendAsync("bye"));
            await client.CloseAsync();

            await Await.UntilAsync(() => log.Events.Any(e => e.Level == Serilog.Events.LogEventLevel.Debug
                && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("closed by the client (close_notify)", StringComparison.Ordinal)));
            Assert.DoesNotContain(log.Messages, m => m.Contains("truncated", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("DEBUG", true)]
    [InlineData("INFO", false)]
    public async Task SessionDebugLine_TemplateWithoutContext_CarriesTheSessionsPropertiesWhenDebugIsOn(string level, bool written)
    {
        var (server, log) = await TestServers.StartAsync(output, $"actors.loglevel = {level}");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            Assert.Equal("ping", await client.SendAsync("ping"));
            await client.CloseAsync();
        }

        // Its template names only the session number, so Remote and Suite can only come from the session's context.
        var lines = log.Events.Where(e => e.MessageTemplate.Text.Contains("closed by the client (close_notify)", StringComparison.Ordinal)).ToList();
        Assert.Equal(written ? 1 : 0, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Equal("1", line.Properties["SessionId"].ToString());
            Assert.Contains("127.0.0.1", line.Properties["Remote"].ToString(), StringComparison.Ordinal);
            Assert.Contains("Aes", line.Properties["Suite"].ToString(), StringComparison.Ordinal);
        });
    }
}
