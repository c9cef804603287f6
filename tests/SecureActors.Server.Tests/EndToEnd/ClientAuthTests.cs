using SecureActors.Actors.Actor;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Handler;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

public sealed class ClientAuthTests(ITestOutputHelper output)
{
    private static readonly Lazy<LocalIdentity> Alice = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> Mallory = new(() => LocalIdentity.Generate(2048));

    [Fact]
    public async Task Server_ClientAuthRequiredAndNoAuthorizedClientsFile_RefusesToStartNamingTheFileAndTheSetting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sa-no-such-authorized-clients-{Guid.NewGuid():N}");

        var refused = await Assert.ThrowsAsync<FileNotFoundException>(() => TestServers.StartAsync(
            output,
            $"server.client-auth.policy = required\nserver.client-auth.authorized-clients = \"{missing}\""));

        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
        Assert.Contains("server.client-auth.authorized-clients (test:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("policy = required", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_ClientAuthOptionalAndNoAuthorizedClientsFile_StartsAndWarnsThatKeysWillBeRefused()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sa-no-such-authorized-clients-{Guid.NewGuid():N}");

        var (server, log) = await TestServers.StartAsync(
            output,
            $"server.client-auth.policy = optional\nserver.client-auth.authorized-clients = \"{missing}\"");
        await using (server)
        {
            Assert.Contains(log.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning
                && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(missing, StringComparison.Ordinal));
            await using var anonymous = await TestServers.ConnectAsync(server);
            Assert.Equal("anonymous works", await anonymous.SendAsync("anonymous works"));
        }
    }

    [Fact]
    public async Task Server_ClientAuthRequired_ListedKeyGetsInAndOthersAreRefusedWithTheirAlert()
    {
        var authorized = AuthorizedClients.Parse([$"sap-rsa {Convert.ToBase64String(Alice.Value.Spki.Span)} alice"], "test");
        var (server, _) = await TestServers.StartAsync(
            output,
            "server.client-auth.policy = required",
            new SecureServerOptions { Authorizer = authorized, HandlerProps = Props.Create(() => new WhoAmI()) });
        await using (server)
        {
            var options = TestServers.ClientOptions(server);
            await using (var alice = await SecureClient.ConnectAsync(options with { Identity = Alice.Value }))
            {
                Assert.Equal($"alice {Alice.Value.Fingerprint}", await alice.SendAsync("who am I?"));
                await alice.CloseAsync();
            }

            var mallory = await RefusedAsync(options with { Identity = Mallory.Value });
            var anonymous = await RefusedAsync(options);

            Assert.Equal(AlertDescription.AccessDenied, mallory.Alert);
            Assert.Equal(AlertDescription.CertificateRequired, anonymous.Alert);
        }
    }

    /// <summary>
    /// The client's flight ends its handshake (1-RTT), so the server's refusal may arrive only once it
    /// has connected: the alert then fails its first request.
    /// </summary>
    private static Task<SecureClientException> RefusedAsync(SecureClientOptions options) =>
        Assert.ThrowsAnyAsync<SecureClientException>(async () =>
        {
            await using var client = await SecureClient.ConnectAsync(options);
            await client.SendAsync("let me in").WaitAsync(TimeSpan.FromSeconds(10));
        });

    /// <summary>Answers with the name and fingerprint the server proved for the client.</summary>
    private sealed class WhoAmI : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request) =>
            request.Reply(System.Text.Encoding.UTF8.GetBytes($"{request.ClientName} {request.Fingerprint}"));
    }
}
