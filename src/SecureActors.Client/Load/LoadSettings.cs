using SecureActors.Hocon;

namespace SecureActors.Client.Load;

/// <summary>The load client's run shape, bound from <c>client.load</c> (defaults in reference.conf only).</summary>
internal sealed record LoadSettings
{
    /// <summary>Smallest message that can carry the verification header.</summary>
    public const int MinimumSize = PayloadFactory.HeaderLength;

    public int Connections { get; init; }

    public TimeSpan RampUp { get; init; }

    /// <summary>Messages per session; 0 means "until the duration ends".</summary>
    public long MessagesPerConnection { get; init; }

    /// <summary>Sending window; zero means "until every session sent its messages".</summary>
    public TimeSpan Duration { get; init; }

    public int Size { get; init; }

    public int SizeMax { get; init; }

    public int Pipeline { get; init; }

    /// <summary>Open-loop messages per second over all sessions; 0 = closed loop.</summary>
    public double Rate { get; init; }

    public bool HandshakeOnly { get; init; }

    public long ReconnectEvery { get; init; }

    public int MaxConnections { get; init; }

    public long MaxTotalMessages { get; init; }

    public TimeSpan MaxDuration { get; init; }

    public TimeSpan DrainTimeout { get; init; }

    public TimeSpan ProgressInterval { get; init; }

    public TimeSpan TimelineInterval { get; init; }

    public int Seed { get; init; }

    /// <summary>Closed loop: every session connects first, and sending (and the run's clock) starts when the last is up.</summary>
    public bool StartTogether { get; init; }

    /// <summary>Messages (handshakes, when handshake-only) per warm-up session; 0 = no warm-up.</summary>
    public long Warmup { get; init; }

    /// <summary>The largest message size the run draws.</summary>
    public int LargestSize => Math.Max(Size, SizeMax);

    /// <summary>The sending window actually enforced: the duration, never more than max-duration.</summary>
    public TimeSpan EffectiveDuration => Duration > TimeSpan.Zero && Duration < MaxDuration ? Duration : MaxDuration;

    /// <summary>The total message budget actually enforced.</summary>
    public long TotalMessageBudget => MessagesPerConnection > 0
        ? Math.Min(MaxTotalMessages, MessagesPerConnection * Connections)
        : MaxTotalMessages;

    public static LoadSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Each value's own bounds are checked here, where its file:line (or the option that set it) is known;
        // Validate checks how the values fit together, and whatever a caller changed in code.
        var c = new SettingsSection(config.GetConfig("client.load"), "client.load");
        return new LoadSettings
        {
            Connections = c.Int("connections", 1),
            RampUp = c.Duration("ramp-up", zeroAllowed: true),
            MessagesPerConnection = c.Long("messages", 0),
            Duration = c.Duration("duration", zeroAllowed: true),
            Size = (int)c.ByteSize("size", MinimumSize, int.MaxValue, why: "every message carries its own verification header"),
            SizeMax = (int)c.ByteSize("size-max", 0, int.MaxValue),
            Pipeline = c.Int("pipeline", 1),
            Rate = c.NonNegative("rate"),
            HandshakeOnly = c.Boolean("handshake-only"),
            ReconnectEvery = c.Long("reconnect-every", 0),
            MaxConnections = c.Int("max-connections", 1),
            MaxTotalMessages = c.Long("max-total-messages", 1),
            MaxDuration = c.Duration("max-duration"),
            DrainTimeout = c.Duration("drain-timeout"),
            ProgressInterval = c.Duration("progress-interval"),
            TimelineInterval = c.Duration("timeline-interval"),
            Seed = c.Int("seed", int.MinValue),
            Warmup = c.Long("warmup", 0),
            StartTogether = c.Boolean("start-together"),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        Check(Connections >= 1 && Connections <= MaxConnections, $"connections must be 1..{MaxConnections} (max-connections), not {Connections}");
        Check(MessagesPerConnection >= 0, "messages must not be negative");
        Check(Duration >= TimeSpan.Zero && RampUp >= TimeSpan.Zero, "duration and ramp-up must not be negative");
        Check(MaxDuration > TimeSpan.Zero && MaxDuration != Timeout.InfiniteTimeSpan, "max-duration must be a positive, finite bound");
        Check(MaxTotalMessages >= 1, "max-total-messages must be positive");
        Check(Size >= MinimumSize, $"size must be at least {MinimumSize} bytes (every message carries its own verification header)");
        Check(SizeMax == 0 || SizeMax >= Size, "size-max must be 0 or at least size");
        Check(Pipeline >= 1, "pipeline must be at least 1");
        Check(Rate >= 0 && double.IsFinite(Rate), "rate must be 0 (closed loop) or a positive number of messages per second");
        Check(ReconnectEvery >= 0, "reconnect-every must not be negative");
        Check(Warmup >= 0, "warmup must not be negative");
        Check(!StartTogether || (Rate == 0 && !HandshakeOnly), "start-together needs the closed loop (rate = 0) and messages (not handshake-only)");
        Check(DrainTimeout > TimeSpan.Zero && ProgressInterval > TimeSpan.Zero && TimelineInterval > TimeSpan.Zero, "drain-timeout, progress-interval and timeline-interval must be positive");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
