using System.Text.Json;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>Which server a run measured.</summary>
internal enum SystemUnderTest
{
    SecureActors,
    TlsPeer,
}

/// <summary>
/// One measured run: the load client's JSON report (same schema for both clients) plus what the
/// runner read from the server process around it.
/// </summary>
internal sealed record RunResult
{
    public required Scenario Scenario { get; init; }

    public required SystemUnderTest System { get; init; }

    public required int Repetition { get; init; }

    /// <summary>Null when the load client had to be killed at its time bound.</summary>
    public required int? ExitCode { get; init; }

    /// <summary>Why the run produced no report (server did not start, client timed out), or null.</summary>
    public string? Failure { get; init; }

    public double ElapsedSeconds { get; init; }

    public long Handshakes { get; init; }

    public long HandshakesFailed { get; init; }

    public long SessionsFailed { get; init; }

    public long Replies { get; init; }

    public long ReplyBytes { get; init; }

    public long PeakActiveSessions { get; init; }

    public double HandshakeP50Ms { get; init; }

    public double HandshakeP99Ms { get; init; }

    public double RoundTripP50Ms { get; init; }

    public double RoundTripP99Ms { get; init; }

    public bool Clean { get; init; }

    public string Errors { get; init; } = "";

    /// <summary>Server CPU (user + system) used while the measured load ran.</summary>
    public TimeSpan ServerCpu { get; init; }

    public long RssBeforeKiB { get; init; }

    public long RssPeakKiB { get; init; }

    public bool Succeeded => Failure is null;

    public double HandshakesPerSecond => Handshakes / Math.Max(ElapsedSeconds, 1e-9);

    public double MessagesPerSecond => Replies / Math.Max(ElapsedSeconds, 1e-9);

    public double MebibytesPerSecond => ReplyBytes / Math.Max(ElapsedSeconds, 1e-9) / (1024.0 * 1024.0);

    public double CpuMillisPerConnection => Handshakes == 0 ? double.NaN : ServerCpu.TotalMilliseconds / Handshakes;

    public double CpuMicrosPerMessage => Replies == 0 ? double.NaN : ServerCpu.TotalMilliseconds * 1000 / Replies;

    public double KiBPerSession => PeakActiveSessions == 0 ? double.NaN : (double)(RssPeakKiB - RssBeforeKiB) / PeakActiveSessions;

    /// <summary>Fills the load-report fields from <c>secure-actors/load-report/v1</c> JSON.</summary>
    public RunResult WithReport(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var sessions = root.GetProperty("sessions");
        var messages = root.GetProperty("messages");
        var handshake = root.GetProperty("handshake_latency");
        var roundTrip = root.GetProperty("round_trip_latency");
        var peak = root.GetProperty("timeline").EnumerateArray()
            .Select(point => point.GetProperty("active_sessions").GetInt64()).DefaultIfEmpty(0).Max();
        return this with
        {
            ElapsedSeconds = root.GetProperty("elapsed_seconds").GetDouble(),
            Handshakes = sessions.GetProperty("handshakes_ok").GetInt64(),
            HandshakesFailed = sessions.GetProperty("handshakes_failed").GetInt64(),
            SessionsFailed = sessions.GetProperty("failed").GetInt64(),
            Replies = messages.GetProperty("received").GetInt64(),
            ReplyBytes = messages.GetProperty("bytes_received").GetInt64(),
            PeakActiveSessions = peak,
            HandshakeP50Ms = handshake.GetProperty("p50_ms").GetDouble(),
            HandshakeP99Ms = handshake.GetProperty("p99_ms").GetDouble(),
            RoundTripP50Ms = roundTrip.GetProperty("p50_ms").GetDouble(),
            RoundTripP99Ms = roundTrip.GetProperty("p99_ms").GetDouble(),
            Clean = root.GetProperty("clean").GetBoolean(),
            Errors = string.Join(", ", root.GetProperty("errors").EnumerateObject().Select(e => $"{e.Name} ×{e.Value.GetInt64()}")),
        };
    }
}
