using SecureActors.Client.Statistics;

namespace SecureActors.Client.Load;

/// <summary>
/// The outcome of a load run: what was asked, what happened, whether it was clean. The JSON report is
/// this object serialised (see <see cref="Reporting.JsonReport"/> for the schema).
/// </summary>
internal sealed record LoadReport
{
    public const string SchemaId = "secure-actors/load-report/v1";

    public string Schema { get; init; } = SchemaId;

    public required RunTarget Target { get; init; }

    public required RunShape Settings { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required bool Interrupted { get; init; }

    public required SessionCounts Sessions { get; init; }

    public required MessageCounts Messages { get; init; }

    public required Verification Verification { get; init; }

    public required Throughput Throughput { get; init; }

    public required LatencySummary HandshakeLatency { get; init; }

    public required LatencySummary RoundTripLatency { get; init; }

    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    public required IReadOnlyList<HistogramBar> RoundTripHistogram { get; init; }

    public required IReadOnlyList<HistogramBar> HandshakeHistogram { get; init; }

    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }

    /// <summary>True only when nothing was lost, duplicated, corrupted or reordered and no session failed.</summary>
    public required bool Clean { get; init; }

    /// <summary>The process exit code scripts rely on: 0 for a clean run, 1 otherwise.</summary>
    public int ExitCode => Clean ? 0 : 1;

    internal static LoadReport Create(LoadRunner runner, DateTimeOffset startedAt, TimeSpan elapsed, bool interrupted)
    {
        var s = runner.Statistics;
        var settings = runner.Settings;
        var options = runner.ClientOptions;
        List<TimelinePoint> timeline;
        lock (s.Timeline)
        {
            timeline = [.. s.Timeline];
        }

        var shape = new RunShape(
            settings.Connections, settings.RampUp.TotalSeconds, settings.MessagesPerConnection, settings.Duration.TotalSeconds,
            settings.Size, settings.LargestSize, settings.Pipeline, settings.Rate, settings.Rate > 0 ? "open" : "closed",
            settings.HandshakeOnly, settings.ReconnectEvery, settings.EffectiveDuration.TotalSeconds, settings.TotalMessageBudget,
            runner.WarmupSettings?.Connections ?? 0, settings.Warmup, settings.StartTogether);
        return FromStatistics(s, new RunTarget(options.Host, options.Port), shape, startedAt, elapsed, interrupted, _ => timeline);
    }

    /// <summary>
    /// Builds the report from a run's statistics; shared by our load client and the benchmark's TLS peer so both are
    /// counted, judged clean and summarised the same way. <paramref name="timeline"/> receives the counts and the
    /// run's length in seconds.
    /// </summary>
    internal static LoadReport FromStatistics(
        LoadStatistics s,
        RunTarget target,
        RunShape shape,
        DateTimeOffset startedAt,
        TimeSpan elapsed,
        bool interrupted,
        Func<(SessionCounts Sessions, MessageCounts Messages, double Seconds), IReadOnlyList<TimelinePoint>> timeline)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var handshakes = s.Handshake.Snapshot();
        var roundTrips = s.RoundTrip.Snapshot();
        var sessions = new SessionCounts(
            Interlocked.Read(ref s.HandshakesOk),
            Interlocked.Read(ref s.HandshakesFailed),
            Interlocked.Read(ref s.SessionsFailed),
            Interlocked.Read(ref s.BusyRefusals),
            Interlocked.Read(ref s.BusyRetries),
            Interlocked.Read(ref s.BusyGaveUp));
        var verification = new Verification(
            s.RepliesOk.Value,
            Interlocked.Read(ref s.Lost),
            Interlocked.Read(ref s.Duplicated),
            Interlocked.Read(ref s.Corrupted),
            Interlocked.Read(ref s.Reordered),
            Interlocked.Read(ref s.FailedInFlight));
        var messages = new MessageCounts(
            s.MessagesSent.Value,
            s.RepliesReceived,
            s.PayloadBytesSent.Value,
            s.PayloadBytesReceived.Value);
        var clean = sessions.Failed == 0 && sessions.HandshakesFailed == 0 && verification.Lost == 0 && verification.Duplicated == 0
            && verification.Corrupted == 0 && verification.Reordered == 0 && verification.FailedInFlight == 0 && s.Errors.IsEmpty
            && messages.Sent == messages.Received;
        return new LoadReport
        {
            Target = target,
            Settings = shape,
            StartedAt = startedAt,
            ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 3),
            Interrupted = interrupted,
            Sessions = sessions,
            Messages = messages,
            Verification = verification,
            Throughput = new Throughput(
                Math.Round(sessions.HandshakesOk / seconds, 1),
                Math.Round(messages.Received / seconds, 1),
                Math.Round(messages.BytesSent / seconds / 1_000_000, 3),
                Math.Round(messages.BytesReceived / seconds / 1_000_000, 3)),
            HandshakeLatency = LatencySummary.Of(handshakes),
            RoundTripLatency = LatencySummary.Of(roundTrips),
            Errors = new SortedDictionary<string, long>(s.Errors, StringComparer.Ordinal),
            RoundTripHistogram = HistogramBar.Of(roundTrips),
            HandshakeHistogram = HistogramBar.Of(handshakes),
            Timeline = timeline((sessions, messages, seconds)),
            Clean = clean,
        };
    }
}

internal sealed record RunTarget(string Host, int Port);

internal sealed record RunShape(
    int Connections,
    double RampUpSeconds,
    long MessagesPerConnection,
    double DurationSeconds,
    int SizeMin,
    int SizeMax,
    int Pipeline,
    double TargetRate,
    string Loop,
    bool HandshakeOnly,
    long ReconnectEvery,
    double DurationBoundSeconds,
    long MessageBudget,
    int WarmupSessions = 0,
    long WarmupMessagesPerSession = 0,
    bool StartTogether = false);

/// <summary>
/// Session outcomes. <see cref="HandshakesFailed"/> and <see cref="Failed"/> include <see cref="BusyGaveUp"/>;
/// a refusal that was retried and then admitted is in <see cref="BusyRefusals"/> and <see cref="BusyRetries"/> only.
/// </summary>
internal sealed record SessionCounts(long HandshakesOk, long HandshakesFailed, long Failed, long BusyRefusals, long BusyRetries, long BusyGaveUp);

internal sealed record MessageCounts(long Sent, long Received, long BytesSent, long BytesReceived);

internal sealed record Verification(long Ok, long Lost, long Duplicated, long Corrupted, long Reordered, long FailedInFlight);

internal sealed record Throughput(double HandshakesPerSecond, double MessagesPerSecond, double MegabytesPerSecondSent, double MegabytesPerSecondReceived);

/// <summary>Latency percentiles in milliseconds (from microsecond samples).</summary>
internal sealed record LatencySummary(long Count, double MinMs, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LatencySummary Of(LogLinearHistogram h) => new(
        h.TotalCount,
        h.Min / 1000.0,
        Math.Round(h.Mean / 1000.0, 3),
        h.ValueAtPercentile(50) / 1000.0,
        h.ValueAtPercentile(90) / 1000.0,
        h.ValueAtPercentile(99) / 1000.0,
        h.ValueAtPercentile(99.9) / 1000.0,
        h.Max / 1000.0);
}

/// <summary>One bar of a latency histogram: samples in [FromMs, ToMs).</summary>
internal sealed record HistogramBar(double FromMs, double ToMs, long Count)
{
    public static IReadOnlyList<HistogramBar> Of(LogLinearHistogram h) =>
        [.. h.Bins(40).Select(b => new HistogramBar(b.From / 1000.0, b.To / 1000.0, b.Count))];
}
