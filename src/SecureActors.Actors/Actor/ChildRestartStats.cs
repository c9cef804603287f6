namespace SecureActors.Actors.Actor;

/*
 * Restart budget of one child, Akka's rules:
 *   retries 0                -> never restart
 *   retries N, no window     -> N restarts over the child's whole life
 *   retries N, window W      -> at most N restarts in a window opened by the first restart;
 *                               a restart after the window has passed opens a new window
 *   retries unlimited, W     -> 1 restart per window
 *   unlimited, no window     -> always
 */

/// <summary>A supervised child and how often it has been restarted.</summary>
internal sealed class ChildRestartStats(InternalActorRef child, int uid)
{
    private long _windowStartTicks = -1;

    public InternalActorRef Child { get; } = child;

    public int Uid { get; } = uid;

    public int RestartCount { get; private set; }

    /// <param name="maxNrOfRetries">Negative means unlimited.</param>
    /// <param name="window">Null means no window.</param>
    /// <param name="nowTicks">Monotonic time in <see cref="TimeSpan"/> ticks.</param>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? window, long nowTicks)
    {
        if (maxNrOfRetries == 0)
        {
            return false;
        }

        if (window is null)
        {
            if (maxNrOfRetries < 0)
            {
                return true;
            }

            RestartCount++;
            return RestartCount <= maxNrOfRetries;
        }

        var retries = maxNrOfRetries < 0 ? 1 : maxNrOfRetries;
        if (_windowStartTicks < 0)
        {
            _windowStartTicks = nowTicks;
        }

        if (nowTicks - _windowStartTicks <= window.Value.Ticks)
        {
            RestartCount++;
            return RestartCount <= retries;
        }

        RestartCount = 1;
        _windowStartTicks = nowTicks;
        return true;
    }
}
