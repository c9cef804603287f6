using System.Text.Json;
using System.Text.RegularExpressions;
using SecureActors.Client.Load;
using SecureActors.Client.Reporting;
using SecureActors.Client.Tests.Load;
using SecureActors.Client.Tests.Support;

namespace SecureActors.Client.Tests.Reporting;

public sealed partial class ReportTests
{
    [Fact]
    public async Task JsonReport_CompletedRun_MatchesTheDocumentedSchema()
    {
        var report = await SmallRunAsync();
        using var dir = new TempDirectory();
        var path = dir.File("report.json");

        await JsonReport.WriteAsync(report, path);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;

        Assert.Equal("secure-actors/load-report/v1", root.GetProperty("schema").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("target").GetProperty("host").GetString());
        AssertNumbers(root.GetProperty("settings"), "connections", "ramp_up_seconds", "messages_per_connection", "duration_seconds", "size_min", "size_max", "pipeline", "target_rate", "reconnect_every", "duration_bound_seconds", "message_budget");
        Assert.Equal("closed", root.GetProperty("settings").GetProperty("loop").GetString());
        Assert.Equal(JsonValueKind.False, root.GetProperty("settings").GetProperty("handshake_only").ValueKind);
        Assert.True(root.GetProperty("started_at").TryGetDateTimeOffset(out _));
        AssertNumbers(root, "elapsed_seconds", "exit_code");
        AssertNumbers(root.GetProperty("sessions"), "handshakes_ok", "handshakes_failed", "failed", "busy_refusals", "busy_retries", "busy_gave_up");
        AssertNumbers(root.GetProperty("messages"), "sent", "received", "bytes_sent", "bytes_received");
        AssertNumbers(root.GetProperty("verification"), "ok", "lost", "duplicated", "corrupted", "reordered", "failed_in_flight");
        AssertNumbers(root.GetProperty("throughput"), "handshakes_per_second", "messages_per_second", "megabytes_per_second_sent", "megabytes_per_second_received");
        foreach (var latency in new[] { "handshake_latency", "round_trip_latency" })
        {
            AssertNumbers(root.GetProperty(latency), "count", "min_ms", "mean_ms", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms");
        }

        Assert.Equal(JsonValueKind.Object, root.GetProperty("errors").ValueKind);
        var bins = root.GetProperty("round_trip_histogram").EnumerateArray().ToList();
        Assert.NotEmpty(bins);
        Assert.Equal(60, bins.Sum(b => b.GetProperty("count").GetInt64()));
        AssertNumbers(bins[0], "from_ms", "to_ms", "count");
        var point = root.GetProperty("timeline").EnumerateArray().Last();
        AssertNumbers(point, "elapsed_seconds", "replies", "replies_per_second", "p50_ms", "p99_ms", "max_ms", "active_sessions", "handshakes");
        Assert.Equal(JsonValueKind.True, root.GetProperty("clean").ValueKind);
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task HtmlReport_CompletedRun_IsSelfContainedWithSvgCharts()
    {
        var report = await SmallRunAsync();

        var html = HtmlReport.Render(report);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.True(Regex.Count(html, "<svg ") >= 3, "latency-over-time, throughput and histogram charts");
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.Contains("<rect", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("Clean run", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleReport_CompletedRun_ShowsPercentilesHistogramAndVerdict()
    {
        var report = await SmallRunAsync();
        using var output = new StringWriter();

        ConsoleReport.WriteFinal(ConsoleReport.CreateConsole(output, interactive: false), report);
        var text = output.ToString();

        Assert.Contains("p99.9", text, StringComparison.Ordinal);
        Assert.Contains("round-trip latency histogram", text, StringComparison.Ordinal);
        Assert.Contains("60 ok, 0 lost, 0 duplicated, 0 corrupted, 0 reordered", text, StringComparison.Ordinal);
        Assert.Contains("[+] clean run", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_ServerBusyRun_ShowRefusalsRetriesAndGiveUpsApartFromOtherErrors()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);
        var report = await LoadRunnerTests.RunAsync(server, LoadRunnerTests.Settings() with { Connections = 1, MessagesPerConnection = 1 }, options => options with
        {
            BusyRetries = 1,
            BusyBackoff = TimeSpan.FromMilliseconds(1),
            BusyBackoffMax = TimeSpan.FromMilliseconds(1),
        });
        using var output = new StringWriter();

        using var json = JsonDocument.Parse(JsonReport.Serialize(report));
        ConsoleReport.WriteFinal(ConsoleReport.CreateConsole(output, interactive: false), report);
        var html = HtmlReport.Render(report);

        var sessions = json.RootElement.GetProperty("sessions");
        Assert.Equal(2, sessions.GetProperty("busy_refusals").GetInt64());
        Assert.Equal(1, sessions.GetProperty("busy_retries").GetInt64());
        Assert.Equal(1, sessions.GetProperty("busy_gave_up").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetProperty("refused: server busy").GetInt64());
        const string line = "2 refusals (server at capacity): 1 retried, 1 gave up";
        Assert.Contains(line, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused: server busy", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(line, html, StringComparison.Ordinal);
    }

    private static async Task<LoadReport> SmallRunAsync()
    {
        await using var server = new TestServer(TestKeys.Server);
        return await LoadRunnerTests.RunAsync(server, LoadRunnerTests.Settings() with { Connections = 3, MessagesPerConnection = 20, Pipeline = 4 });
    }

    private static void AssertNumbers(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(element.TryGetProperty(name, out var value), $"missing {name}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }
    }

    // Any src/href pointing off the page (the SVG namespace declaration is an identifier, not a fetch).
    [GeneratedRegex("(src|href)\\s*=\\s*\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
