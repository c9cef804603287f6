using System.Diagnostics;
using SecureActors.Client.Statistics;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Load;

/// <summary>
/// Drives a bounded load run: <see cref="LoadSettings.Connections"/> session slots, each connecting
/// (after its ramp-up offset), sending and verifying, optionally reconnecting, until its quota, the
/// duration, the global message budget or cancellation stops it. Every run is bounded by
/// max-duration and max-total-messages whatever else is set.
/// </summary>
/// <remarks>
/// Closed loop: a session keeps <see cref="LoadSettings.Pipeline"/> requests in flight and sends the
/// next one from the reply callback. Open loop: one dispatcher schedules message i at
/// t0 + i / rate and hands it to slot i mod N; latency is measured from that scheduled time, so time a
/// message spends waiting for a full pipeline or a slow server is counted (no coordinated omission).
/// </remarks>
internal sealed class LoadRunner : IDisposable
{
    /// <summary>Most sessions a warm-up opens: enough to exercise the concurrent paths, few enough for D-sized runs.</summary>
    internal const int MaxWarmupSessions = 20;

    private readonly SecureClientOptions _clientOptions;
    private readonly LoadSettings _settings;
    private readonly LoadSlot[] _slots;
    private readonly CancellationTokenSource _stopSending = new();
    private readonly LocalIdentity? _ownedIdentity;
    private readonly bool _budgetCanBind;
    private long _budget;
    private long _startTimestamp;

    public LoadRunner(SecureClientOptions clientOptions, LoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        // One trust object and one client key for the whole run: known_hosts and the key file are
        // read once, not once per session (a PEM parse and RSA import per connection would make the
        // load client, not the server, the bottleneck of a handshake-heavy run).
        _ownedIdentity = clientOptions.Identity is null && clientOptions.IdentityKeyPath is { } keyPath ? SecureClient.LoadIdentity(keyPath) : null;
        _clientOptions = clientOptions with
        {
            ServerTrust = SecureClient.CreateTrust(clientOptions),
            Identity = clientOptions.Identity ?? _ownedIdentity,
        };
        _settings = settings;
        Payloads = new PayloadFactory(settings.Size, settings.LargestSize, settings.Seed);
        _budget = settings.TotalMessageBudget;
        // Closed loop, sessions with a quota each stop by themselves within a budget that covers all
        // their quotas; then no message needs to touch the one counter every core would otherwise share.
        // (The open loop's dispatcher stops on the budget, so it always counts.)
        _budgetCanBind = settings.Rate > 0 || settings.MessagesPerConnection == 0
            || settings.MessagesPerConnection > settings.MaxTotalMessages / settings.Connections;
        _slots = [.. Enumerable.Range(0, settings.Connections).Select(i => new LoadSlot(this, (uint)i))];
        StartBarrier = new StartBarrier(settings.Connections, () => Volatile.Write(ref _startTimestamp, Stopwatch.GetTimestamp()));
        _stopSending.Token.Register(StartBarrier.Release);
    }

    public LoadStatistics Statistics { get; } = new();

    /// <summary>Start-together: the sessions arrive here; the last one starts the run's clock.</summary>
    internal StartBarrier StartBarrier { get; }

    public LoadSettings Settings => _settings;

    internal SecureClientOptions ClientOptions => _clientOptions;

    internal PayloadFactory Payloads { get; }

    internal bool IsStopping => _stopSending.IsCancellationRequested;

    internal CancellationToken StopToken => _stopSending.Token;

    internal bool IsOpenLoop => _settings.Rate > 0;

    public TimeSpan Elapsed => _startTimestamp == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>The warm-up's shape: the run's, smaller, closed loop, all at once; null when there is none.</summary>
    internal LoadSettings? WarmupSettings => _settings.Warmup <= 0 ? null : _settings with
    {
        Connections = Math.Min(_settings.Connections, MaxWarmupSessions),
        MessagesPerConnection = _settings.Warmup,
        RampUp = TimeSpan.Zero,
        Duration = TimeSpan.Zero,
        Rate = 0,
        Warmup = 0,
    };

    /// <summary>
    /// Runs to completion and returns the report. Cancelling stops sending and drains, like the deadline.
    /// A warm-up that is not clean throws <see cref="LoadWarmupException"/> before the measured run starts.
    /// </summary>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        if (WarmupSettings is { } warmupSettings)
        {
            using var warmup = new LoadRunner(_clientOptions, warmupSettings);
            var warmupReport = await warmup.RunAsync(cancellationToken).ConfigureAwait(false);
            if (!warmupReport.Clean && !cancellationToken.IsCancellationRequested)
            {
                throw new LoadWarmupException(warmupReport);
            }
        }

        _startTimestamp = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        using var stopOnCancel = cancellationToken.Register(() => _stopSending.Cancel());
        _stopSending.CancelAfter(_settings.EffectiveDuration);
        using var samplerStop = new CancellationTokenSource();
        var slots = Task.WhenAll(_slots.Select(slot => Task.Run(() => slot.RunAsync())));
        if (_settings.StartTogether)
        {
            // The timeline starts with the clock, when the last session is up.
            await Task.WhenAny(StartBarrier.Opened, slots).ConfigureAwait(false);
        }

        var sampler = SampleTimelineAsync(samplerStop.Token);
        var dispatcher = IsOpenLoop ? DispatchAsync() : Task.CompletedTask;
        await Task.WhenAny(slots, WaitForStopAsync()).ConfigureAwait(false);
        if (!slots.IsCompleted)
        {
            // Sending has stopped; replies in flight get drain-timeout, then the stragglers are cut.
            if (await Task.WhenAny(slots, Task.Delay(_settings.DrainTimeout, CancellationToken.None)).ConfigureAwait(false) != slots)
            {
                foreach (var slot in _slots)
                {
                    slot.Abort();
                }

                await slots.ConfigureAwait(false);
            }
        }

        await _stopSending.CancelAsync().ConfigureAwait(false);
        await dispatcher.ConfigureAwait(false);
        await samplerStop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        TakeTimelineSample();
        return LoadReport.Create(this, startedAt, Stopwatch.GetElapsedTime(_startTimestamp), cancellationToken.IsCancellationRequested);
    }

    public void Dispose()
    {
        _stopSending.Dispose();
        _ownedIdentity?.Dispose();
    }

    /// <summary>Takes one message (or handshake) from the global budget; false once it is spent.</summary>
    internal bool TryTakeBudget()
    {
        if (!_budgetCanBind || Interlocked.Decrement(ref _budget) >= 0)
        {
            return true;
        }

        _stopSending.Cancel();
        return false;
    }

    internal TimeSpan RampOffset(uint slot) =>
        _settings.Connections <= 1 ? TimeSpan.Zero : _settings.RampUp * ((double)slot / _settings.Connections);

    private async Task WaitForStopAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stopSending.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DispatchAsync()
    {
        var ticksPerMessage = Stopwatch.Frequency / _settings.Rate;
        long issued = 0;
        var touched = new HashSet<LoadSlot>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopSending.Token).ConfigureAwait(false))
            {
                var due = (long)((Stopwatch.GetTimestamp() - _startTimestamp) / ticksPerMessage);
                while (issued < due && !IsStopping)
                {
                    var slot = _slots[issued % _slots.Length];
                    if (slot.IsFinished)
                    {
                        issued++;
                        continue;
                    }

                    if (!TryTakeBudget())
                    {
                        break;
                    }

                    slot.Schedule(_startTimestamp + (long)(issued * ticksPerMessage));
                    touched.Add(slot);
                    issued++;
                }

                foreach (var slot in touched)
                {
                    slot.Pump();
                }

                touched.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SampleTimelineAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.TimelineInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                TakeTimelineSample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long _lastSampleReplies;
    private double _lastSampleSeconds;
    private LogLinearHistogram? _lastRoundTrips;

    private void TakeTimelineSample()
    {
        // The interval's latencies are the cumulative histogram's growth since the last sample, so each
        // reply is recorded once.
        var roundTrips = Statistics.RoundTrip.Snapshot();
        var interval = _lastRoundTrips is null ? roundTrips : roundTrips.Since(_lastRoundTrips);
        _lastRoundTrips = roundTrips;
        var elapsed = Elapsed.TotalSeconds;
        var replies = Statistics.RepliesReceived;
        var seconds = Math.Max(1e-9, elapsed - _lastSampleSeconds);
        lock (Statistics.Timeline)
        {
            Statistics.Timeline.Add(new TimelinePoint(
                Math.Round(elapsed, 3),
                replies,
                Math.Round((replies - _lastSampleReplies) / seconds, 1),
                interval.ValueAtPercentile(50) / 1000.0,
                interval.ValueAtPercentile(99) / 1000.0,
                interval.Max / 1000.0,
                Interlocked.Read(ref Statistics.SessionsActive),
                Interlocked.Read(ref Statistics.HandshakesOk)));
        }

        _lastSampleReplies = replies;
        _lastSampleSeconds = elapsed;
    }
}
