using SecureActors.Actors.Scheduling;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// A scheduler whose clock moves only when the test calls <see cref="Advance"/>: timers, receive
/// timeouts and Ask timeouts then fire deterministically, on the calling thread, in due order.
/// </summary>
public sealed class TestScheduler : IScheduler
{
    private readonly Lock _lock = new();
    private readonly List<Item> _items = [];
    private TimeSpan _now;
    private long _sequence;

    /// <inheritdoc />
    public TimeSpan MonotonicClock
    {
        get
        {
            lock (_lock)
            {
                return _now;
            }
        }
    }

    /// <summary>How many tasks are waiting.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _items.Count(i => !i.Cancelled);
            }
        }
    }

    /// <inheritdoc />
    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Add(delay, null, action);

    /// <inheritdoc />
    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        }

        return Add(initialDelay, interval, action);
    }

    private Item Add(TimeSpan delay, TimeSpan? interval, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_lock)
        {
            var item = new Item(_now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), interval, action, _sequence++);
            _items.Add(item);
            return item;
        }
    }

    /// <summary>Moves the clock forward, running every task that falls due, in order of due time.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            Item? next;
            lock (_lock)
            {
                _items.RemoveAll(i => i.Cancelled);
                next = _items.Where(i => i.Due <= target).OrderBy(i => i.Due).ThenBy(i => i.Sequence).FirstOrDefault();
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.Due;
                if (next.Interval is { } interval)
                {
                    next.Due += interval;
                }
                else
                {
                    _items.Remove(next);
                }
            }

            next.Action();
        }
    }

    private sealed class Item(TimeSpan due, TimeSpan? interval, Action action, long sequence) : ICancelable
    {
        private volatile bool _cancelled;

        public TimeSpan Due { get; set; } = due;

        public TimeSpan? Interval { get; } = interval;

        public Action Action { get; } = action;

        public long Sequence { get; } = sequence;

        public bool Cancelled => _cancelled;

        public bool IsCancellationRequested => _cancelled;

        public void Cancel() => _cancelled = true;
    }
}
