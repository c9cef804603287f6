using System.Globalization;
using SecureActors.Server.Metrics;
using SecureActors.Server.Tests.Support;
using Serilog.Formatting.Display;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Metrics;

public sealed class StatsReporterTests(ITestOutputHelper output)
{
    /// <summary>The log as the console shows it (marker, literal strings unquoted).</summary>
    private static List<string> ConsoleLines(XunitLogSink log)
    {
        var formatter = new MessageTemplateTextFormatter(SecureActors.Server.Hosting.ConsoleLog.OutputTemplate, CultureInfo.InvariantCulture);
        return [.. log.Events.ToArray().Select(e =>
        {
            using var line = new StringWriter(CultureInfo.InvariantCulture);
            formatter.Format(e, line);
            return line.ToString();
        })];
    }

    [Fact]
    public void Format_TwoSnapshotsFiveSecondsApart_RatesPerSecondAndCountsSinceTheLastLine()
    {
        var previous = new StatsSnapshot(ActiveSessions: 1, EstablishedSessions: 1, HandshakesOk: 10, HandshakesFailed: 2, MessagesIn: 100, Refused: 1, CryptoQueueDepth: 0);
        var now = new StatsSnapshot(ActiveSessions: 3, EstablishedSessions: 2, HandshakesOk: 20, HandshakesFailed: 3, MessagesIn: 600, Refused: 4, CryptoQueueDepth: 5);

        var line = StatsReporter.Format(previous, now, seconds: 5);

        Assert.Equal("stats: sessions 3 (2 established), handshakes 2.0/s, messages 100.0/s, failed handshakes 1, refused 3, crypto queue 5", line);
    }

    [Fact]
    public void Format_RefusalsInTheInterval_NamesTheLimitsThatRefused()
    {
        var previous = new StatsSnapshot(1, 1, 10, 0, 100, Refused: 2, CryptoQueueDepth: 0, RefusedByLimit: new Dictionary<string, long> { ["early-drop"] = 1, ["max-connections"] = 1 });
        var now = new StatsSnapshot(1, 1, 10, 0, 100, Refused: 6, CryptoQueueDepth: 0, RefusedByLimit: new SortedDictionary<string, long>(StringComparer.Ordinal) { ["early-drop"] = 4, ["max-connections"] = 1, ["per-source-rate"] = 1 });

        var line = StatsReporter.Format(previous, now, seconds: 1);

        Assert.Contains(", refused 4 (server busy: early-drop 3, per-source-rate 1), crypto queue 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_Enabled_PrintsAnInformationLineWithTheStarMarker()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.stats { enabled = on, interval = 100 ms }");
        await using (server)
        {
            await Await.UntilAsync(() => ConsoleLines(log).Any(line => line.Contains("stats: ", StringComparison.Ordinal)));

            Assert.Contains(ConsoleLines(log), line => line.StartsWith("[*] stats: sessions 0 (0 established), handshakes ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Stats_DisabledInConfig_NoReporterRuns()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.stats { enabled = off, interval = 10 ms }");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            Assert.Equal("x", await client.SendAsync("x"));

            await Assert.ThrowsAnyAsync<Exception>(() => server.System.ActorSelection("/user/server/stats").ResolveOne());
            Assert.NotNull(await server.System.ActorSelection("/user/server/listener").ResolveOne());
            Assert.DoesNotContain(ConsoleLines(log), line => line.Contains("stats: ", StringComparison.Ordinal));
        }
    }
}
