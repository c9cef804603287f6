using SecureActors.Client.Tests.Load;
using SecureActors.Client.Tests.Support;
using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Hosting;

namespace SecureActors.Client.Tests.EndToEnd;

/// <summary>Starts one real actor server on 127.0.0.1 (free port, echo handler) for the class.</summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public SecureServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var config = ConfigFactory.ParseString("server { host = \"127.0.0.1\", port = 0, stats.enabled = off }", "client-tests");
        Server = await SecureServer.StartAsync(config, new SecureServerOptions { Identity = TestKeys.Server, Logger = Serilog.Core.Logger.None });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public SecureClientOptions ClientOptions() => ClientFactory.Pinned(Server.Endpoint.Port, Server.Fingerprint);
}

public sealed class RealServerTests(RealServerFixture fixture) : IClassFixture<RealServerFixture>
{
    [Fact]
    public async Task ConnectAsync_RealServer_EchoesAndClosesCleanly()
    {
        var client = await SecureClient.ConnectAsync(fixture.ClientOptions());

        var reply = await client.SendAsync("hello, actors");
        await client.CloseAsync();

        Assert.Equal("hello, actors", reply);
        Assert.Equal(fixture.Server.Fingerprint, client.ServerFingerprint);
        Assert.False(client.IsConnected);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_RealServerManyInFlight_EachReplyMatchesItsRequest()
    {
        await using var client = await SecureClient.ConnectAsync(fixture.ClientOptions());

        var replies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.SendAsync($"#{i}")));

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"#{i}"), replies);
        await client.CloseAsync();
    }

    [Fact]
    public async Task SendAsync_RealServerMessageOfManyRecords_RoundTripsIntact()
    {
        await using var client = await SecureClient.ConnectAsync(fixture.ClientOptions());
        var payload = new byte[100_000];
        new Random(11).NextBytes(payload);

        var reply = await client.SendAsync(payload);

        Assert.True(reply.Span.SequenceEqual(payload));
        await client.CloseAsync();
    }

    [Fact]
    public async Task ConnectAsync_RealServerUnderAnotherPin_ThrowsKeyChangedAndSendsNothing()
    {
        var options = fixture.ClientOptions() with { ServerFingerprint = TestKeys.OtherServer.Fingerprint };

        var error = await Assert.ThrowsAsync<ServerKeyChangedException>(() => SecureClient.ConnectAsync(options));

        Assert.Equal(fixture.Server.Fingerprint, error.ActualFingerprint);
        Assert.Equal(TestKeys.OtherServer.Fingerprint, error.ExpectedFingerprint);
        Assert.Equal(AlertDescription.BadCertificate, error.Alert);
    }

    [Fact]
    public async Task RunAsync_RealServerBoundedLoad_NothingLostDuplicatedCorruptedOrReordered()
    {
        using var runner = new Client.Load.LoadRunner(fixture.ClientOptions(), LoadRunnerTests.Settings() with
        {
            Connections = 50,
            MessagesPerConnection = 100,
            Pipeline = 4,
            Size = 16,
            SizeMax = 2048,
            ReconnectEvery = 50,
        });

        var report = await runner.RunAsync();

        Assert.True(report.Clean, $"{report.Verification} {report.Sessions} errors: {string.Join(", ", report.Errors)}");
        Assert.Equal(5000, report.Verification.Ok);
        Assert.Equal(0, report.Verification.Lost + report.Verification.Duplicated + report.Verification.Corrupted + report.Verification.Reordered);
        Assert.Equal(100, report.Sessions.HandshakesOk);
    }
}

public sealed class RealServerBusyTests
{
    [Fact]
    public async Task ConnectAsync_RealServerFullThenASessionCloses_RetriesPastTheRefusalAndGetsIn()
    {
        var config = ConfigFactory.ParseString("server { host = \"127.0.0.1\", port = 0, stats.enabled = off, limits.max-connections = 1 }", "client-tests");
        await using var server = await SecureServer.StartAsync(config, new SecureServerOptions { Identity = TestKeys.Server, Logger = Serilog.Core.Logger.None });
        var options = ClientFactory.Pinned(server.Endpoint.Port, server.Fingerprint) with
        {
            // Generous: the slot frees once the occupant's session has stopped, a few milliseconds after its close.
            BusyRetries = 50,
            BusyBackoff = TimeSpan.FromMilliseconds(10),
            BusyBackoffMax = TimeSpan.FromMilliseconds(100),
        };
        var occupant = await SecureClient.ConnectAsync(options);
        var closing = Task.CompletedTask;
        var freeTheSlot = new CloseOnFirstRefusal(() => closing = occupant.CloseAsync());

        await using var newcomer = await SecureClient.ConnectAsync(options, freeTheSlot, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await closing;
        await occupant.DisposeAsync();

        Assert.Equal("admitted after a retry", await newcomer.SendAsync("admitted after a retry"));
        Assert.True(freeTheSlot.Refusals >= 1);
        await newcomer.CloseAsync();
    }

    /// <summary>Frees the server's only slot when the first server_busy arrives: capacity comes back while the client backs off.</summary>
    private sealed class CloseOnFirstRefusal(Action freeSlot) : Client.Connection.IBusyRetryObserver
    {
        public int Refusals { get; private set; }

        public void Refused(int attempt, TimeSpan? retryIn)
        {
            if (++Refusals == 1)
            {
                freeSlot();
            }
        }
    }
}

public sealed class RealServerClientAuthTests
{
    [Fact]
    public async Task SendAsync_RealServerRequiresAuthAndNoIdentity_FailsWithCertificateRequired()
    {
        var config = ConfigFactory.ParseString("server { host = \"127.0.0.1\", port = 0, stats.enabled = off, client-auth.policy = required }", "client-tests");
        await using var server = await SecureServer.StartAsync(config, new SecureServerOptions
        {
            Identity = TestKeys.Server,
            Logger = Serilog.Core.Logger.None,
            Authorizer = new AllowOnly(TestKeys.Client.Fingerprint),
        });
        var options = ClientFactory.Pinned(server.Endpoint.Port, server.Fingerprint);

        await using var anonymous = await SecureClient.ConnectAsync(options);
        var refused = await Assert.ThrowsAsync<SecureClientException>(() => anonymous.SendAsync("let me in"));
        await using var authorised = await SecureClient.ConnectAsync(options with { Identity = TestKeys.Client });

        Assert.Equal(AlertDescription.CertificateRequired, refused.Alert);
        Assert.Equal("welcome", await authorised.SendAsync("welcome"));
    }

    private sealed class AllowOnly(string fingerprint) : IClientAuthorizer
    {
        public string? Authorize(PeerIdentity clientKey, System.Net.IPAddress? remoteAddress) =>
            clientKey.Fingerprint == fingerprint ? "test-client" : null;
    }
}
