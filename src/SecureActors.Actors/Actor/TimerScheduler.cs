using SecureActors.Actors.Scheduling;

namespace SecureActors.Actors.Actor;

/// <summary>
/// The timers of one actor incarnation. Each start gets a new generation; a tick is delivered only
/// if its timer still exists with the same generation and belongs to this incarnation.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Timer> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan timeout) =>
        Start(key, message, timeout, interval: null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, message, initialDelay, interval);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var timer))
        {
            timer.Task.Cancel();
        }
    }

    public void CancelAll()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Task.Cancel();
        }

        _timers.Clear();
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var tick = new TimerMessage(key, ++_generation, message, this);
        var scheduler = cell.System.Scheduler;
        var task = interval is { } period
            ? scheduler.ScheduleTellRepeatedlyCancelable(delay, period, cell.Self, tick, null)
            : scheduler.ScheduleTellOnceCancelable(delay, cell.Self, tick, null);
        _timers[key] = new Timer(tick.Generation, interval is null, task);
    }

    /// <summary>True when the tick should reach the actor; forgets a single timer that fired.</summary>
    public bool Accept(TimerMessage tick)
    {
        if (!ReferenceEquals(tick.Owner, this) || !_timers.TryGetValue(tick.Key, out var timer) || timer.Generation != tick.Generation)
        {
            return false;
        }

        if (timer.Single)
        {
            _timers.Remove(tick.Key);
        }

        return true;
    }

    private sealed record Timer(int Generation, bool Single, ICancelable Task);

    internal sealed class TimerMessage(object key, int generation, object message, TimerScheduler owner) : IAutoReceivedMessage
    {
        public object Key { get; } = key;

        public int Generation { get; } = generation;

        public object Message { get; } = message;

        public TimerScheduler Owner { get; } = owner;
    }
}
