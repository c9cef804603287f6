using System.Collections.Concurrent;
using System.Diagnostics;

namespace SecureActors.Actors.Scheduling;

/// <summary>
/// The scheduler of a running system, on .NET's timer queue (one timer per task; .NET keeps them
/// in per-core queues, so there is no scheduler thread to tune). Every pending task is tracked so
/// that stopping the system cancels them all.
/// </summary>
internal sealed class DefaultScheduler : IScheduler, IDisposable
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly Action<Exception> _onError;
    private volatile bool _disposed;

    public DefaultScheduler(Action<Exception> onError) => _onError = onError;

    public TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(_start);

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Start(delay, Timeout.InfiniteTimeSpan, action);

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        }

        return Start(initialDelay, interval, action);
    }

    private Task Start(TimeSpan delay, TimeSpan period, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var task = new Task(this, action, period == Timeout.InfiniteTimeSpan);
        if (_disposed)
        {
            task.Cancel();
            return task;
        }

        _pending[task] = 0;
        task.Arm(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, period);
        return task;
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var task in _pending.Keys)
        {
            task.Cancel();
        }
    }

    private sealed class Task(DefaultScheduler owner, Action action, bool once) : ICancelable
    {
        private ITimer? _timer;
        private volatile bool _cancelled;

        public bool IsCancellationRequested => _cancelled;

        public void Arm(TimeSpan delay, TimeSpan period)
        {
            var timer = TimeProvider.System.CreateTimer(static state => ((Task)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer = timer;
            timer.Change(delay, period);
            if (_cancelled)
            {
                timer.Dispose();
            }
        }

        private void Fire()
        {
            if (_cancelled)
            {
                return;
            }

            if (once)
            {
                Cancel();
            }

            try
            {
                action();
            }
            catch (Exception ex)
            {
                // A timer thread must never die of a scheduled action; report and carry on.
                owner._onError(ex);
            }
        }

        public void Cancel()
        {
            _cancelled = true;
            _timer?.Dispose();
            owner._pending.TryRemove(this, out _);
        }
    }
}
