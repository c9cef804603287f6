using System.Collections.Concurrent;
using System.Diagnostics;
using SecureActors.Client.Statistics;
using SecureActors.Protocol;

namespace SecureActors.Client.Load;

/// <summary>
/// Counters and latency histograms of one load run, shared by every session (Interlocked updates and
/// per-processor histogram stripes, no locks), read live by the progress display and at the end by the report.
/// </summary>
internal sealed class LoadStatistics
{
    // Latencies are recorded in microseconds; one hour is far beyond any deadline the run allows.
    private const long HighestMicros = 3_600_000_000;

    public StripedHistogram Handshake { get; } = new(HighestMicros);

    public StripedHistogram RoundTrip { get; } = new(HighestMicros);

    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public List<TimelinePoint> Timeline { get; } = [];

    /// <summary>The error kind of a session whose connect the server refused with server_busy on every attempt.</summary>
    public const string RefusedServerBusy = "refused: server busy";

    public long HandshakesOk;
    public long HandshakesFailed;

    /// <summary>Connection attempts the server refused with server_busy (each retry's refusal too).</summary>
    public long BusyRefusals;

    /// <summary>Refusals followed by a backoff and another attempt (one cut short by the end of the run included).</summary>
    public long BusyRetries;

    /// <summary>Sessions whose retries ran out: never established, counted as <see cref="RefusedServerBusy"/>.</summary>
    public long BusyGaveUp;
    public long SessionsActive;
    public long SessionsFailed;
    public StripedCounter MessagesSent { get; } = new();

    public StripedCounter RepliesOk { get; } = new();

    public long Corrupted;
    public long Duplicated;
    public long Reordered;
    public long Lost;
    public long FailedInFlight;
    public StripedCounter PayloadBytesSent { get; } = new();

    public StripedCounter PayloadBytesReceived { get; } = new();

    public long RepliesReceived => RepliesOk.Value + Interlocked.Read(ref Corrupted)
        + Interlocked.Read(ref Duplicated) + Interlocked.Read(ref Reordered);

    public static long ElapsedMicros(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1_000_000 / Stopwatch.Frequency;

    public void CountError(string kind) => Errors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>A short, stable name for a failure, used as the key of "errors by kind".</summary>
    public static string Classify(Exception error) => error switch
    {
        ServerBusyException => RefusedServerBusy,
        ServerKeyChangedException => "server key changed",
        ServerNotTrustedException => "server not trusted",
        SecureClientTimeoutException timeout => $"timeout ({timeout.Operation ?? "request"})",
        SecureClientConnectionException { InnerException: System.Net.Sockets.SocketException socket } => $"connection ({socket.SocketErrorCode})",
        SecureClientConnectionException connection when connection.Message.Contains("truncated", StringComparison.Ordinal) => "connection closed without close_notify",
        SecureClientConnectionException => "connection failed",
        SecureClientException { Alert: { } alert } client => $"{AlertName(alert)} ({(client.ReceivedFromServer ? "from server" : "sent by client")})",
        SecureClientException => "session failed",
        _ => error.GetType().Name,
    };

    public static string AlertName(AlertDescription alert) =>
        string.Concat(alert.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}

/// <summary>One point of the latency-over-time series.</summary>
internal sealed record TimelinePoint(
    double ElapsedSeconds,
    long Replies,
    double RepliesPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long ActiveSessions,
    long Handshakes);
