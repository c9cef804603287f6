namespace SecureActors.Actors.Event;

/// <summary>
/// Logs dead letters at Info, at most <c>log-dead-letters</c> of them, then stays silent for
/// <c>log-dead-letters-suspend-duration</c> before logging again; silent during shutdown unless
/// <c>log-dead-letters-during-shutdown</c> is on.
/// </summary>
internal sealed class DeadLetterLogger(ILoggingAdapter log, int limit, bool duringShutdown, TimeSpan suspendDuration, Func<TimeSpan> clock)
{
    private readonly Lock _lock = new();
    private int _count;
    private TimeSpan? _suspendedUntil;

    public void Log(AllDeadLetters deadLetter, bool shuttingDown)
    {
        if (limit == 0 || (shuttingDown && !duringShutdown) || !log.IsEnabled(LogLevel.Info))
        {
            return;
        }

        int count;
        lock (_lock)
        {
            var now = clock();
            if (_suspendedUntil is { } until)
            {
                if (now < until)
                {
                    return;
                }

                _suspendedUntil = null;
                _count = 0;
            }

            count = ++_count;
            if (limit > 0 && count >= limit)
            {
                _suspendedUntil = now + suspendDuration;
            }
        }

        var suffix = limit > 0 && count >= limit
            ? $" No more dead letters will be logged for {suspendDuration}."
            : "";
        var messageType = deadLetter.Message.GetType().Name;
        switch (deadLetter)
        {
            case UnhandledMessage:
                log.Info("Message [{MessageType}] from {Sender} to {Recipient} was unhandled. [{Count}] dead letters encountered." + suffix, messageType, deadLetter.Sender, deadLetter.Recipient, count);
                break;
            case Dropped dropped:
                log.Info("Message [{MessageType}] from {Sender} to {Recipient} was dropped: {Reason}. [{Count}] dead letters encountered." + suffix, messageType, deadLetter.Sender, deadLetter.Recipient, dropped.Reason, count);
                break;
            default:
                log.Info("Message [{MessageType}] from {Sender} to {Recipient} was not delivered. [{Count}] dead letters encountered." + suffix, messageType, deadLetter.Sender, deadLetter.Recipient, count);
                break;
        }
    }
}
