using System.Diagnostics;
using System.Globalization;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;

namespace SecureActors.Server.Metrics;

/// <summary>Prints the periodic <c>[*] stats</c> line: sessions, handshakes/s, messages/s, failures and refusals.</summary>
internal sealed class StatsReporter : ReceiveActor, IWithTimers
{
    private readonly ServerMetrics _metrics;
    private readonly TimeSpan _interval;
    private StatsSnapshot _previous;
    private long _previousAt = Stopwatch.GetTimestamp();

    public StatsReporter(ServerMetrics metrics, TimeSpan interval)
    {
        _metrics = metrics;
        _interval = interval;
        _previous = metrics.Snapshot();
        Receive<Tick>(_ => Report());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ServerMetrics metrics, TimeSpan interval) =>
        Actors.Actor.Props.Create(() => new StatsReporter(metrics, interval));

    protected override void PreStart() => Timers.StartPeriodicTimer("stats", Tick.Instance, _interval);

    /// <summary>Formats one stats line from two snapshots <paramref name="seconds"/> apart.</summary>
    public static string Format(StatsSnapshot previous, StatsSnapshot now, double seconds)
    {
        var perSecond = seconds > 0 ? 1 / seconds : 0;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"stats: sessions {now.ActiveSessions} ({now.EstablishedSessions} established), handshakes {(now.HandshakesOk - previous.HandshakesOk) * perSecond:F1}/s, messages {(now.MessagesIn - previous.MessagesIn) * perSecond:F1}/s, failed handshakes {now.HandshakesFailed - previous.HandshakesFailed}, refused {now.Refused - previous.Refused}{RefusalsByLimit(previous, now)}, crypto queue {now.CryptoQueueDepth}");
    }

    /// <summary>
    /// " (server busy: early-drop 3, max-handshaking 1)" for the limits that refused in this interval,
    /// so an operator sees which key to raise; empty when nothing was refused.
    /// </summary>
    private static string RefusalsByLimit(StatsSnapshot previous, StatsSnapshot now)
    {
        if (now.RefusedByLimit is not { Count: > 0 } current)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var (limit, count) in current)
        {
            var inInterval = count - (previous.RefusedByLimit?.GetValueOrDefault(limit) ?? 0);
            if (inInterval > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{limit} {inInterval}"));
            }
        }

        return parts.Count == 0 ? string.Empty : $" (server busy: {string.Join(", ", parts)})";
    }

    private void Report()
    {
        var now = _metrics.Snapshot();
        var at = Stopwatch.GetTimestamp();
        Context.GetLogger().Info("{Stats}", Format(_previous, now, Stopwatch.GetElapsedTime(_previousAt, at).TotalSeconds));
        _previous = now;
        _previousAt = at;
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();

        private Tick()
        {
        }
    }
}
