using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Scheduling;

/// <summary>
/// Runs actions later, once or repeatedly. The tell variants in <see cref="SchedulerExtensions"/>
/// are what actors normally use. The TestKit can replace it with a scheduler driven by hand.
/// </summary>
public interface IScheduler
{
    /// <summary>Monotonic time since the scheduler started; the clock timers and receive timeouts use.</summary>
    TimeSpan MonotonicClock { get; }

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>.</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action);
}

/// <summary>Scheduling messages.</summary>
public static class SchedulerExtensions
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    public static void ScheduleTellOnce(this IScheduler scheduler, TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTellOnceCancelable(scheduler, delay, receiver, message, sender);

    /// <summary>Like <see cref="ScheduleTellOnce"/>, returning a handle to cancel it.</summary>
    public static ICancelable ScheduleTellOnceCancelable(this IScheduler scheduler, TimeSpan delay, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(receiver);
        return scheduler.ScheduleOnce(delay, () => receiver.Tell(message, sender));
    }

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    public static void ScheduleTellRepeatedly(this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTellRepeatedlyCancelable(scheduler, initialDelay, interval, receiver, message, sender);

    /// <summary>Like <see cref="ScheduleTellRepeatedly"/>, returning a handle to cancel it.</summary>
    public static ICancelable ScheduleTellRepeatedlyCancelable(this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(receiver);
        return scheduler.ScheduleRepeatedly(initialDelay, interval, () => receiver.Tell(message, sender));
    }
}
