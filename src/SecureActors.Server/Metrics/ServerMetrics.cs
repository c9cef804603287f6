using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SecureActors.Protocol;

namespace SecureActors.Server.Metrics;

/// <summary>
/// The server's instruments on the <c>SecureActors.Server</c> meter (read by dotnet-counters), and
/// the running totals the periodic stats line prints. One instance per running server; all methods
/// are thread-safe (socket loops, sessions and workers record concurrently).
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "SecureActors.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _handshakesOk;
    private readonly Counter<long> _handshakesFailed;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _slowReadersDropped;
    private readonly Histogram<double> _handshakeLatency;
    private readonly Histogram<double> _replyLatency;

    private long _activeSessions;
    private long _establishedSessions;
    private long _cryptoQueueDepth;
    private long _totalHandshakesOk;
    private long _totalHandshakesFailed;
    private long _totalMessagesIn;
    private long _totalRefused;

    // Refusals by the limit that refused them (max-connections, early-drop, …), for the stats line.
    private readonly ConcurrentDictionary<string, long> _refusedByLimit = new(StringComparer.Ordinal);

    public ServerMetrics()
    {
        _meter = new Meter(MeterName);
        _accepted = _meter.CreateCounter<long>("secureactors.server.connections.accepted", "{connection}", "Connections accepted and given a session.");
        _refused = _meter.CreateCounter<long>("secureactors.server.connections.refused", "{connection}", "Connections refused by a limit with server_busy (tag: reason, the limit).");
        _handshakesOk = _meter.CreateCounter<long>("secureactors.server.handshakes.completed", "{handshake}", "Handshakes that completed.");
        _handshakesFailed = _meter.CreateCounter<long>("secureactors.server.handshakes.failed", "{handshake}", "Handshakes that failed (tag: alert).");
        _messagesIn = _meter.CreateCounter<long>("secureactors.server.messages.received", "{message}", "Application messages received.");
        _messagesOut = _meter.CreateCounter<long>("secureactors.server.messages.sent", "{message}", "Application messages sent (replies and pushes).");
        _bytesIn = _meter.CreateCounter<long>("secureactors.server.bytes.received", "By", "Bytes read from sockets.");
        _bytesOut = _meter.CreateCounter<long>("secureactors.server.bytes.sent", "By", "Bytes written to sockets.");
        _slowReadersDropped = _meter.CreateCounter<long>("secureactors.server.sessions.slow_reader_dropped", "{session}", "Sessions dropped because the client stopped reading.");
        _handshakeLatency = _meter.CreateHistogram<double>("secureactors.server.handshake.duration", "ms", "Accept to verified ClientFinished.");
        _replyLatency = _meter.CreateHistogram<double>("secureactors.server.reply.duration", "ms", "Request received to reply queued.");
        _meter.CreateObservableUpDownCounter("secureactors.server.sessions.active", () => Interlocked.Read(ref _activeSessions), "{session}", "Open connections (handshaking or established).");
        _meter.CreateObservableUpDownCounter("secureactors.server.sessions.established", () => Interlocked.Read(ref _establishedSessions), "{session}", "Established sessions.");
        _meter.CreateObservableUpDownCounter("secureactors.server.crypto.queue_depth", () => Interlocked.Read(ref _cryptoQueueDepth), "{operation}", "Crypto operations sent to the pool and not yet started.");
    }

    /// <summary>This server's meter (its name is shared by every server in a process; tests tell them apart by instance).</summary>
    public Meter Meter => _meter;

    public long ActiveSessions => Interlocked.Read(ref _activeSessions);

    public long EstablishedSessions => Interlocked.Read(ref _establishedSessions);

    public long CryptoQueueDepth => Interlocked.Read(ref _cryptoQueueDepth);

    /// <summary>A consistent-enough copy of the running totals for the stats line.</summary>
    public StatsSnapshot Snapshot() => new(
        ActiveSessions,
        EstablishedSessions,
        Interlocked.Read(ref _totalHandshakesOk),
        Interlocked.Read(ref _totalHandshakesFailed),
        Interlocked.Read(ref _totalMessagesIn),
        Interlocked.Read(ref _totalRefused),
        CryptoQueueDepth,
        new SortedDictionary<string, long>(_refusedByLimit, StringComparer.Ordinal));

    public void SessionOpened()
    {
        Interlocked.Increment(ref _activeSessions);
        _accepted.Add(1);
    }

    public void SessionClosed(bool wasEstablished)
    {
        Interlocked.Decrement(ref _activeSessions);
        if (wasEstablished)
        {
            Interlocked.Decrement(ref _establishedSessions);
        }
    }

    /// <summary>A connection was refused with server_busy by the limit named <paramref name="reason"/>.</summary>
    public void Refused(string reason)
    {
        Interlocked.Increment(ref _totalRefused);
        _refusedByLimit.AddOrUpdate(reason, 1, static (_, count) => count + 1);
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void HandshakeCompleted(TimeSpan duration)
    {
        Interlocked.Increment(ref _establishedSessions);
        Interlocked.Increment(ref _totalHandshakesOk);
        _handshakesOk.Add(1);
        _handshakeLatency.Record(duration.TotalMilliseconds);
    }

    public void HandshakeFailed(AlertDescription alert)
    {
        Interlocked.Increment(ref _totalHandshakesFailed);
        _handshakesFailed.Add(1, new KeyValuePair<string, object?>("alert", AlertName(alert)));
    }

    public void MessageReceived()
    {
        Interlocked.Increment(ref _totalMessagesIn);
        _messagesIn.Add(1);
    }

    public void MessageSent(long receivedTimestamp)
    {
        _messagesOut.Add(1);
        if (receivedTimestamp != 0)
        {
            _replyLatency.Record(Stopwatch.GetElapsedTime(receivedTimestamp).TotalMilliseconds);
        }
    }

    public void BytesReceived(long count) => _bytesIn.Add(count);

    public void BytesSent(long count) => _bytesOut.Add(count);

    public void SlowReaderDropped() => _slowReadersDropped.Add(1);

    public void CryptoQueued() => Interlocked.Increment(ref _cryptoQueueDepth);

    public void CryptoStarted() => Interlocked.Decrement(ref _cryptoQueueDepth);

    public void Dispose() => _meter.Dispose();

    /// <summary>snake_case alert names as in the protocol brief (e.g. <c>decrypt_error</c>).</summary>
    public static string AlertName(AlertDescription alert) => alert switch
    {
        AlertDescription.CloseNotify => "close_notify",
        AlertDescription.UnexpectedMessage => "unexpected_message",
        AlertDescription.BadRecordMac => "bad_record_mac",
        AlertDescription.RecordOverflow => "record_overflow",
        AlertDescription.HandshakeFailure => "handshake_failure",
        AlertDescription.BadCertificate => "bad_certificate",
        AlertDescription.IllegalParameter => "illegal_parameter",
        AlertDescription.AccessDenied => "access_denied",
        AlertDescription.DecodeError => "decode_error",
        AlertDescription.DecryptError => "decrypt_error",
        AlertDescription.ProtocolVersion => "protocol_version",
        AlertDescription.InternalError => "internal_error",
        AlertDescription.CertificateRequired => "certificate_required",
        AlertDescription.ServerBusy => "server_busy",
        _ => ((byte)alert).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Running totals at one instant, for the stats line.</summary>
internal sealed record StatsSnapshot(
    long ActiveSessions,
    long EstablishedSessions,
    long HandshakesOk,
    long HandshakesFailed,
    long MessagesIn,
    long Refused,
    long CryptoQueueDepth,
    IReadOnlyDictionary<string, long>? RefusedByLimit = null);
