using System.Text.Json;
using System.Text.Json.Serialization;
using SecureActors.Client.Load;

namespace SecureActors.Client.Reporting;

/// <summary>
/// Writes a <see cref="LoadReport"/> as JSON (<c>secure-actors load --json FILE</c>). Schema
/// <c>secure-actors/load-report/v1</c>; names are snake_case, times in seconds, latencies in
/// milliseconds, sizes in bytes; fields are only ever added within one schema version.
/// <code>
/// schema                 "secure-actors/load-report/v1"
/// target                 { host, port }
/// settings               { connections, ramp_up_seconds, messages_per_connection, duration_seconds,
///                          size_min, size_max, pipeline, target_rate, loop ("open"|"closed"),
///                          handshake_only, reconnect_every, duration_bound_seconds, message_budget,
///                          warmup_sessions, warmup_messages_per_session (0: no warm-up; never counted below),
///                          start_together (true: elapsed_seconds and the rates count from when every session was up) }
/// started_at             ISO-8601 UTC
/// elapsed_seconds        wall time of the run
/// interrupted            true when stopped by Ctrl-C
/// sessions               { handshakes_ok, handshakes_failed, failed,
///                          busy_refusals, busy_retries, busy_gave_up }
///                          busy_*: connects the server refused with server_busy (at capacity):
///                          every refusal; those retried after a backoff; sessions whose retries
///                          ran out (also in handshakes_failed, failed and errors "refused: server busy").
///                          busy_refusals = busy_retries + busy_gave_up. A session admitted on a retry
///                          is not a failure.
/// messages               { sent, received, bytes_sent, bytes_received }      (payload bytes)
/// verification           { ok, lost, duplicated, corrupted, reordered, failed_in_flight }
/// throughput             { handshakes_per_second, messages_per_second,
///                          megabytes_per_second_sent, megabytes_per_second_received }
/// handshake_latency      { count, min_ms, mean_ms, p50_ms, p90_ms, p99_ms, p999_ms, max_ms }  (TCP connect + handshake)
/// round_trip_latency     same shape; open loop measures from each message's scheduled send time
/// errors                 { "&lt;kind&gt;": count }   e.g. "bad_record_mac (from server)", "timeout (handshake)",
///                          "refused: server busy"
/// round_trip_histogram   [ { from_ms, to_ms, count } ]   log-spaced bins, ascending, contiguous
/// handshake_histogram    same shape
/// timeline               [ { elapsed_seconds, replies, replies_per_second, p50_ms, p99_ms, max_ms,
///                            active_sessions, handshakes } ]   one point per timeline-interval
/// clean                  true iff nothing was lost, duplicated, corrupted or reordered and no session failed
/// exit_code              0 when clean, else 1 (the process exit code)
/// </code>
/// </summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(LoadReport report) => JsonSerializer.Serialize(report, Options);

    public static async Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken = default)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken).ConfigureAwait(false);
        }
    }
}
