using System.Net;

namespace SecureActors.Server.Listener;

/*
 * Who gets in. Checked in this order, the first failing check names the refusal:
 *   max-connections            all open connections
 *   max-handshaking            connections still in their handshake (hard cap), with random early
 *                              drop from early-drop-from upwards: refused with probability
 *                              (handshaking - from) / (max - from), OpenSSH MaxStartups style
 *   per-source max-connections / max-handshaking (exempt addresses skip these)
 *   per-source handshake rate  a token bucket per address (rate/s, burst)
 * Buckets outlive their connections, so connecting and closing in a loop cannot reset the rate;
 * idle, full buckets are pruned now and then to bound memory.
 */

/// <summary>The listener's admission decisions and counts; a plain object, owned by one actor.</summary>
internal sealed class AdmissionControl(LimitSettings limits, Func<double> random, TimeProvider time)
{
    private const int PruneEvery = 1024;
    private readonly Dictionary<IPAddress, Source> _sources = [];
    private int _admissions;

    /// <summary>Connections admitted and not yet closed.</summary>
    public int Open { get; private set; }

    /// <summary>Admitted connections that have not completed their handshake.</summary>
    public int Handshaking { get; private set; }

    /// <summary>Admits a connection from <paramref name="address"/>, or returns the reason it is refused.</summary>
    public string? TryAdmit(IPAddress address)
    {
        address = Normalize(address);
        if (Open >= limits.MaxConnections)
        {
            return "max-connections";
        }

        if (Handshaking >= limits.MaxHandshaking)
        {
            return "max-handshaking";
        }

        if (Handshaking >= limits.EarlyDropFrom && limits.MaxHandshaking > limits.EarlyDropFrom)
        {
            var probability = (double)(Handshaking - limits.EarlyDropFrom) / (limits.MaxHandshaking - limits.EarlyDropFrom);
            if (random() < probability)
            {
                return "early-drop";
            }
        }

        var exempt = limits.Exempt.Contains(address);
        if (!_sources.TryGetValue(address, out var source))
        {
            source = new Source(limits.PerSourceHandshakeBurst, time.GetTimestamp());
        }

        if (!exempt)
        {
            if (source.Open >= limits.PerSourceMaxConnections)
            {
                return "per-source-connections";
            }

            if (source.Handshaking >= limits.PerSourceMaxHandshaking)
            {
                return "per-source-handshaking";
            }

            Refill(source);
            if (source.Tokens < 1)
            {
                _sources[address] = source;
                return "per-source-rate";
            }

            source.Tokens--;
        }

        source.Open++;
        source.Handshaking++;
        _sources[address] = source;
        Open++;
        Handshaking++;
        if (++_admissions % PruneEvery == 0)
        {
            Prune();
        }

        return null;
    }

    /// <summary>An admitted connection from <paramref name="address"/> completed its handshake.</summary>
    public void HandshakeCompleted(IPAddress address)
    {
        Handshaking--;
        if (_sources.TryGetValue(Normalize(address), out var source))
        {
            source.Handshaking--;
        }
    }

    /// <summary>An admitted connection closed; <paramref name="wasHandshaking"/> if it never completed its handshake.</summary>
    public void Closed(IPAddress address, bool wasHandshaking)
    {
        Open--;
        if (wasHandshaking)
        {
            Handshaking--;
        }

        if (_sources.TryGetValue(Normalize(address), out var source))
        {
            source.Open--;
            if (wasHandshaking)
            {
                source.Handshaking--;
            }
        }
    }

    /// <summary>Per-source counts, for tests.</summary>
    public (int Open, int Handshaking) CountsFor(IPAddress address) =>
        _sources.TryGetValue(Normalize(address), out var s) ? (s.Open, s.Handshaking) : (0, 0);

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void Refill(Source source)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(source.LastRefill, now).TotalSeconds;
        source.Tokens = Math.Min(limits.PerSourceHandshakeBurst, source.Tokens + (elapsed * limits.PerSourceHandshakesPerSecond));
        source.LastRefill = now;
    }

    private void Prune()
    {
        foreach (var (address, source) in _sources.ToArray())
        {
            if (source.Open == 0)
            {
                Refill(source);
                if (source.Tokens >= limits.PerSourceHandshakeBurst)
                {
                    _sources.Remove(address);
                }
            }
        }
    }

    private sealed class Source(double tokens, long lastRefill)
    {
        public int Open { get; set; }

        public int Handshaking { get; set; }

        public double Tokens { get; set; } = tokens;

        public long LastRefill { get; set; } = lastRefill;
    }
}
