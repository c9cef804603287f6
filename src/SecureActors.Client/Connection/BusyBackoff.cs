namespace SecureActors.Client.Connection;

/*
 * How long to wait before reconnecting after a server_busy refusal. Retry n (1-based) has a
 * nominal wait of min(max, first × 2^(n-1)); the actual wait is drawn uniformly from the upper half
 * of it, [nominal/2, nominal) ("equal jitter"). The jitter spreads out clients that one server stall
 * refused together, so they do not all come back in the same instant and get refused again; keeping
 * the lower half out means even the shortest possible wait doubles, so the backoff still backs off.
 * No wait exceeds max.
 */

/// <summary>Exponential backoff with jitter for <see cref="ServerBusyException"/> retries; a pure object.</summary>
internal sealed class BusyBackoff
{
    private readonly long _firstTicks;
    private readonly long _maxTicks;
    private readonly Func<double> _random;

    /// <param name="first">Nominal wait before the first retry (positive).</param>
    /// <param name="max">Cap on any single wait (at least <paramref name="first"/>).</param>
    /// <param name="random">Uniform values in [0, 1); injected so tests can pin the jitter.</param>
    public BusyBackoff(TimeSpan first, TimeSpan max, Func<double> random)
    {
        if (first <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, "the busy-retry backoff (SecureClientOptions.BusyBackoff, client.connect.busy-backoff) must be positive");
        }

        if (max < first)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "the busy-retry cap (SecureClientOptions.BusyBackoffMax, client.connect.busy-backoff-max) must be at least the first wait");
        }

        ArgumentNullException.ThrowIfNull(random);
        _firstTicks = first.Ticks;
        _maxTicks = max.Ticks;
        _random = random;
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var nominal = _firstTicks;
        // Doubling stops at the cap, so this runs at most ~63 times whatever the retry number.
        for (var n = 1; n < retry && nominal < _maxTicks; n++)
        {
            nominal = nominal > _maxTicks / 2 ? _maxTicks : nominal * 2;
        }

        nominal = Math.Min(nominal, _maxTicks);
        var half = nominal / 2;
        var fraction = Math.Clamp(_random(), 0.0, 1.0);
        return TimeSpan.FromTicks(half + (long)((nominal - half) * fraction));
    }
}
