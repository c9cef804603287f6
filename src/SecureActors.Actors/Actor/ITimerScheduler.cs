namespace SecureActors.Actors.Actor;

/// <summary>
/// Keyed timers owned by one actor. Starting a timer with a key in use replaces the old one;
/// timers are cancelled when the actor restarts or stops, and a tick of a cancelled or replaced
/// timer that is already in the mailbox is discarded.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to the actor once after <paramref name="timeout"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, the first time after one interval.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>True while the timer with <paramref name="key"/> may still deliver a message.</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/>, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    void CancelAll();
}

/// <summary>Implemented by actors that use <see cref="ITimerScheduler"/>; the runtime sets <see cref="Timers"/> after construction.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers; set by the runtime.</summary>
    ITimerScheduler Timers { get; set; }
}
