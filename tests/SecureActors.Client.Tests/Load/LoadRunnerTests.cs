using SecureActors.Client.Load;
using SecureActors.Client.Tests.Support;
using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Client.Tests.Load;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task RunAsync_ClosedLoopWithPipelining_VerifiesEveryReplyAndIsClean()
    {
        await using var server = new TestServer(TestKeys.Server);

        var report = await RunAsync(server, Settings() with { Connections = 20, MessagesPerConnection = 50, Pipeline = 8, Size = 16, SizeMax = 3000 });

        Assert.True(report.Clean, Describe(report));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(1000, report.Messages.Sent);
        Assert.Equal(1000, report.Verification.Ok);
        Assert.Equal(20, report.Sessions.HandshakesOk);
        Assert.Equal(1000, report.RoundTripLatency.Count);
        Assert.True(report.RoundTripLatency.P99Ms >= report.RoundTripLatency.P50Ms);
    }

    [Fact]
    public async Task RunAsync_OpenLoopTargetRate_SendsTheBudgetAtRoughlyThatRate()
    {
        await using var server = new TestServer(TestKeys.Server);

        var report = await RunAsync(server, Settings() with { Connections = 4, MessagesPerConnection = 100, Rate = 2000, Pipeline = 16 });

        Assert.True(report.Clean, Describe(report));
        Assert.Equal(400, report.Verification.Ok);
        Assert.Equal("open", report.Settings.Loop);
        // 400 messages at 2000/s take at least 0.2 s to schedule.
        Assert.True(report.ElapsedSeconds >= 0.19, $"elapsed {report.ElapsedSeconds}");
    }

    [Fact]
    public async Task RunAsync_HandshakeOnly_PerformsMessagesHandshakesPerSlot()
    {
        await using var server = new TestServer(TestKeys.Server);

        var report = await RunAsync(server, Settings() with { Connections = 3, MessagesPerConnection = 4, HandshakeOnly = true });

        Assert.True(report.Clean, Describe(report));
        Assert.Equal(12, report.Sessions.HandshakesOk);
        Assert.Equal(12, server.CloseNotifiesReceived);
        Assert.Equal(0, report.Messages.Sent);
    }

    [Fact]
    public async Task RunAsync_ReconnectEvery_ChurnsConnectionsWithoutLosingReplies()
    {
        await using var server = new TestServer(TestKeys.Server);

        var report = await RunAsync(server, Settings() with { Connections = 4, MessagesPerConnection = 20, ReconnectEvery = 5, Pipeline = 2 });

        Assert.True(report.Clean, Describe(report));
        Assert.Equal(16, report.Sessions.HandshakesOk);
        Assert.Equal(80, report.Verification.Ok);
    }

    [Fact]
    public async Task RunAsync_DurationBound_StopsByItself()
    {
        await using var server = new TestServer(TestKeys.Server);

        // The duration counts from the start, handshakes included: on a busy machine the first in-process handshakes
        // (JIT and all) took over 300 ms, leaving no time for a message; 1 s leaves room for both.
        var report = await RunAsync(server, Settings() with { Connections = 2, MessagesPerConnection = 0, Duration = TimeSpan.FromSeconds(1) });

        Assert.True(report.Clean, Describe(report));
        Assert.InRange(report.ElapsedSeconds, 0.99, 6);
        Assert.True(report.Verification.Ok > 0);
        Assert.Equal(report.Messages.Sent, report.Verification.Ok);
    }

    [Fact]
    public async Task RunAsync_ServerCorruptsReplies_CountsCorruptedAndFails()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.CorruptReplies };

        var report = await RunAsync(server, Settings() with { Connections = 2, MessagesPerConnection = 10 });

        Assert.False(report.Clean);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal(20, report.Verification.Corrupted);
    }

    [Fact]
    public async Task RunAsync_ServerSwapsReplies_CountsReordered()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.SwapPairs };

        var report = await RunAsync(server, Settings() with { Connections = 1, MessagesPerConnection = 10, Pipeline = 2 });

        Assert.False(report.Clean);
        Assert.Equal(10, report.Verification.Reordered);
        Assert.Equal(0, report.Verification.Duplicated);
    }

    [Fact]
    public async Task RunAsync_ServerDropsConnections_ReportsFailedSessionsByKind()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.DropOnRequest };

        var report = await RunAsync(server, Settings() with { Connections = 3, MessagesPerConnection = 5 });

        Assert.False(report.Clean);
        Assert.Equal(3, report.Sessions.Failed);
        Assert.Equal(3, report.Verification.FailedInFlight);
        Assert.Contains(report.Errors, e => e.Key.StartsWith("connection", StringComparison.Ordinal) && e.Value == 3);
    }

    [Fact]
    public async Task RunAsync_NothingListening_CountsHandshakeFailures()
    {
        var port = ClientFactory.UnusedPort();

        using var runner = new LoadRunner(ClientFactory.Pinned(port, "SHA256:x"), Settings() with { Connections = 2 });
        var report = await runner.RunAsync();

        Assert.False(report.Clean);
        Assert.Equal(2, report.Sessions.HandshakesFailed);
    }

    [Fact]
    public async Task RunAsync_IdentityKeyFile_IsLoadedOnceAndEverySessionProvesIt()
    {
        using var dir = new TempDirectory();
        var keyPath = dir.WriteFile("client.pem", TestKeys.Client.ExportPkcs8Pem());
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        await using var server = new TestServer(TestKeys.Server, options, new AllowOnly(TestKeys.Client.Fingerprint));
        using var runner = new LoadRunner(ClientFactory.Pinned(server) with { IdentityKeyPath = keyPath }, Settings() with { Connections = 3 });

        File.Delete(keyPath);
        var report = await runner.RunAsync();

        Assert.Equal(TestKeys.Client.Fingerprint, runner.ClientOptions.Identity?.Fingerprint);
        Assert.True(report.Clean);
        Assert.Equal(3, server.HandshakesCompleted);
    }

    [Fact]
    public void LoadRunner_UnreadableIdentityKeyFile_FailsBeforeAnySessionStarts()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "absent.pem");

        var error = Assert.Throws<SecureClientException>(() => new LoadRunner(ClientFactory.Pinned(1, "SHA256:x") with { IdentityKeyPath = missing }, Settings()));

        Assert.Contains("absent.pem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServerBusyThenFree_RetriedSessionsAreCountedApartAndTheRunIsClean()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(3);

        var report = await RunAsync(server, Settings() with { Connections = 3, MessagesPerConnection = 5 }, BusyRetries(3));

        Assert.True(report.Clean, Describe(report));
        Assert.Empty(report.Errors);
        Assert.Equal(3, report.Sessions.HandshakesOk);
        Assert.Equal(0, report.Sessions.HandshakesFailed);
        Assert.Equal((3L, 3L, 0L), (report.Sessions.BusyRefusals, report.Sessions.BusyRetries, report.Sessions.BusyGaveUp));
        Assert.Equal(15, report.Verification.Ok);
    }

    [Fact]
    public async Task RunAsync_ServerAlwaysBusy_ReportsGaveUpAsRefusedServerBusyApartFromOtherErrors()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);

        var report = await RunAsync(server, Settings() with { Connections = 2, MessagesPerConnection = 5 }, BusyRetries(2));

        Assert.False(report.Clean);
        Assert.Equal(new Dictionary<string, long> { ["refused: server busy"] = 2 }, report.Errors);
        Assert.Equal((6L, 4L, 2L), (report.Sessions.BusyRefusals, report.Sessions.BusyRetries, report.Sessions.BusyGaveUp));
        Assert.Equal(2, report.Sessions.HandshakesFailed);
        Assert.Equal(2, report.Sessions.Failed);
        Assert.Equal(6, server.BusyRefusalsSent);
    }

    [Fact]
    public async Task RunAsync_ServerAlwaysBusyWithLongBackoff_StillStopsAtMaxDuration()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);
        var maxDuration = TimeSpan.FromMilliseconds(500);
        // Left alone, these retries would wait for hours.
        Func<SecureClientOptions, SecureClientOptions> retriesForAnHour = options => options with
        {
            BusyRetries = 1000,
            BusyBackoff = TimeSpan.FromMinutes(1),
            BusyBackoffMax = TimeSpan.FromHours(1),
        };

        var report = await RunAsync(server, Settings() with { Connections = 2, MessagesPerConnection = 10, MaxDuration = maxDuration }, retriesForAnHour)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(report.ElapsedSeconds, maxDuration.TotalSeconds - 0.05, 10);
        Assert.Equal(2, report.Sessions.BusyRetries);
        Assert.Equal(0, report.Sessions.BusyGaveUp);
        Assert.Equal(0, report.Sessions.HandshakesOk);
    }

    [Fact]
    public async Task RunAsync_Warmup_ServerSeesItButTheReportCountsOnlyTheMeasuredRun()
    {
        await using var server = new TestServer(TestKeys.Server);

        var report = await RunAsync(server, Settings() with { Connections = 30, MessagesPerConnection = 10, Pipeline = 4, Warmup = 3 });

        Assert.True(report.Clean, Describe(report));
        // The warm-up: min(30, 20) sessions × 3 messages, before the measured 30 × 10.
        Assert.Equal(LoadRunner.MaxWarmupSessions + 30, server.HandshakesCompleted);
        Assert.Equal((LoadRunner.MaxWarmupSessions * 3) + 300, server.RequestsReceived);
        Assert.Equal(30, report.Sessions.HandshakesOk);
        Assert.Equal(300, report.Messages.Sent);
        Assert.Equal(300, report.Verification.Ok);
        Assert.Equal(300, report.RoundTripLatency.Count);
        Assert.Equal(LoadRunner.MaxWarmupSessions, report.Settings.WarmupSessions);
        Assert.Equal(3, report.Settings.WarmupMessagesPerSession);
    }

    [Fact]
    public async Task RunAsync_WarmupAgainstCorruptingServer_ThrowsBeforeTheMeasuredRunStarts()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.CorruptReplies };
        using var runner = new LoadRunner(ClientFactory.Pinned(server), Settings() with { Connections = 2, MessagesPerConnection = 10, Warmup = 2 });

        var error = await Assert.ThrowsAsync<LoadWarmupException>(() => runner.RunAsync());

        Assert.False(error.Warmup.Clean);
        Assert.Equal(4, error.Warmup.Verification.Corrupted);
        Assert.Contains("warm-up failed", error.Message, StringComparison.Ordinal);
        // Only the warm-up's two sessions ever connected.
        Assert.Equal(2, server.HandshakesCompleted);
        Assert.Equal(4, server.RequestsReceived);
    }

    [Fact]
    public async Task RunAsync_StartTogether_NoRequestBeforeEverySessionIsConnected()
    {
        await using var server = new TestServer(TestKeys.Server);
        var fullCollectionsBefore = GC.CollectionCount(GC.MaxGeneration);

        var report = await RunAsync(server, Settings() with { Connections = 8, MessagesPerConnection = 20, Pipeline = 4, RampUp = TimeSpan.FromMilliseconds(200), StartTogether = true });

        Assert.True(report.Clean, Describe(report));
        Assert.Equal(160, report.Verification.Ok);
        // A session sends only after all eight handshakes completed, so all eight had been accepted.
        Assert.Equal(8, server.ConnectionsAcceptedAtFirstRequest);
        Assert.True(report.Settings.StartTogether);
        // The client's heap was collected before the clock started.
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollectionsBefore);
    }

    [Fact]
    public async Task RunAsync_StartTogetherWithAnUnreachableServer_EndsWithoutWaitingForever()
    {
        var port = ClientFactory.UnusedPort();

        using var runner = new LoadRunner(ClientFactory.Pinned(port, "SHA256:x"), Settings() with { Connections = 3, StartTogether = true });
        var report = await runner.RunAsync();

        Assert.False(report.Clean);
        Assert.Equal(3, report.Sessions.HandshakesFailed);
        Assert.False(report.Interrupted);
    }

    [Theory]
    [InlineData(100.0, false)]
    [InlineData(0.0, true)]
    public void Validate_StartTogetherOutsideTheClosedLoopWithMessages_Throws(double rate, bool handshakeOnly)
    {
        var error = Assert.Throws<ArgumentException>(() => (Settings() with { StartTogether = true, Rate = rate, HandshakeOnly = handshakeOnly }).Validate());

        Assert.Contains("start-together", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeWarmup_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => (Settings() with { Warmup = -1 }).Validate());

        Assert.Contains("warmup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SizeBelowHeader_ThrowsNamingTheMinimum()
    {
        var error = Assert.Throws<ArgumentException>(() => (Settings() with { Size = 8 }).Validate());

        Assert.Contains("16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_Reference_IsValidAndBounded()
    {
        var settings = LoadSettings.FromConfig(SecureClientOptions.ReferenceConfig);

        settings.Validate();
        Assert.Equal(100, settings.Connections);
        Assert.True(settings.EffectiveDuration <= settings.MaxDuration);
        Assert.True(settings.TotalMessageBudget <= settings.MaxTotalMessages);
    }

    [Fact]
    public void Validate_ConnectionsAboveHardBound_Throws()
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], ["client.load.connections = 30000"]);

        Assert.Throws<ArgumentException>(() => LoadSettings.FromConfig(config).Validate());
    }

    internal static LoadSettings Settings() => LoadSettings.FromConfig(SecureClientOptions.ReferenceConfig) with
    {
        RampUp = TimeSpan.Zero,
        DrainTimeout = TimeSpan.FromSeconds(10),
        MaxDuration = TimeSpan.FromSeconds(30),
        TimelineInterval = TimeSpan.FromMilliseconds(100),
    };

    internal static async Task<LoadReport> RunAsync(TestServer server, LoadSettings settings, Func<SecureClientOptions, SecureClientOptions>? client = null)
    {
        var options = ClientFactory.Pinned(server);
        using var runner = new LoadRunner(client is null ? options : client(options), settings);
        return await runner.RunAsync();
    }

    /// <summary>Busy retries with millisecond backoff, so the tests do not wait on it.</summary>
    private static Func<SecureClientOptions, SecureClientOptions> BusyRetries(int retries) => options => options with
    {
        BusyRetries = retries,
        BusyBackoff = TimeSpan.FromMilliseconds(1),
        BusyBackoffMax = TimeSpan.FromMilliseconds(5),
    };

    private static string Describe(LoadReport report) =>
        $"sessions {report.Sessions}, messages {report.Messages}, verification {report.Verification}, errors [{string.Join(", ", report.Errors.Select(e => $"{e.Key}={e.Value}"))}]";
}
