using SecureActors.Actors.Event;

namespace SecureActors.Actors.Actor;

/// <summary>
/// How a parent treats the failures of its children. The decider maps an exception to a
/// <see cref="Directive"/>; the strategy applies it to the failed child alone
/// (<see cref="OneForOneStrategy"/>) or to all children (<see cref="AllForOneStrategy"/>).
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed: 0 never, negative unlimited.</param>
    /// <param name="withinTimeRange">The window the retries are counted in; null, zero or infinite for none.</param>
    /// <param name="decider">Maps a failure to a directive.</param>
    /// <param name="loggingEnabled">Log each failure (Resume at Warning, Restart and Stop at Error).</param>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan ? w : null;
        Decider = decider;
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>: what every actor gets unless it says otherwise.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Stop for <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and <see cref="DeathPactException"/>; Restart for anything else.</summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Restarts allowed: 0 never, negative unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window retries are counted in, or null.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps a failure to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are logged.</summary>
    public bool LoggingEnabled { get; }

    /// <summary>Applies the decision; false means escalate.</summary>
    internal bool HandleFailure(ActorCell cell, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        var directive = Decider(cause);
        if (LoggingEnabled && directive != Directive.Escalate)
        {
            LogFailure(cell, failed.Child, cause, directive);
        }

        switch (directive)
        {
            case Directive.Resume:
                failed.Child.SendSystemMessage(new Dispatch.Resume(cause));
                return true;
            case Directive.Restart:
                ProcessFailure(cell, restart: true, failed, cause, children);
                return true;
            case Directive.Stop:
                ProcessFailure(cell, restart: false, failed, cause, children);
                return true;
            default:
                return false;
        }
    }

    private protected abstract void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children);

    private protected bool RequestRestartPermission(ChildRestartStats stats, ActorCell cell) =>
        stats.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, cell.System.Scheduler.MonotonicClock.Ticks);

    private protected static void RestartChild(InternalActorRef child, Exception cause, bool suspendFirst)
    {
        if (suspendFirst)
        {
            child.SendSystemMessage(Dispatch.Suspend.Instance);
        }

        child.SendSystemMessage(new Dispatch.Recreate(cause));
    }

    private static void LogFailure(ActorCell cell, InternalActorRef child, Exception cause, Directive directive)
    {
        var log = cell.System.LoggerFor(child.Path, typeof(SupervisorStrategy));
        var reported = cause is ActorInitializationException { InnerException: { } inner } ? inner : cause;
        if (directive == Directive.Resume)
        {
            log.Warning(cause, "{ActorPath} failed and was resumed: {Reason}", child.Path.ToString(), reported.Message);
        }
        else
        {
            log.Error(cause, "{ActorPath} failed ({Directive}): {Reason}", child.Path.ToString(), directive, reported.Message);
        }
    }
}

/// <summary>Applies each directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    // The decider parameter is named localOnlyDecider, as in Akka.NET, whose documentation and
    // users pass it by that name.

    /// <summary>Creates a strategy; see <see cref="SupervisorStrategy"/> for the parameters (null retries: unlimited).</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries ?? -1, withinTimeRange, localOnlyDecider, loggingEnabled)
    {
    }

    /// <summary>Creates a strategy whose window is given in milliseconds (zero or negative: no window).</summary>
    public OneForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : this(maxNrOfRetries, withinTimeMilliseconds > 0 ? TimeSpan.FromMilliseconds(withinTimeMilliseconds) : null, localOnlyDecider, loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited retries.</summary>
    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true) : this(null, null, localOnlyDecider, loggingEnabled)
    {
    }

    private protected override void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        if (restart && RequestRestartPermission(failed, cell))
        {
            RestartChild(failed.Child, cause, suspendFirst: false);
        }
        else
        {
            cell.Stop(failed.Child);
        }
    }
}

/// <summary>
/// Applies Restart and Stop to every child: all siblings restart if each one may, otherwise all
/// stop. Resume applies to the failed child only.
/// </summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates a strategy; see <see cref="SupervisorStrategy"/> for the parameters (null retries: unlimited).</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries ?? -1, withinTimeRange, localOnlyDecider, loggingEnabled)
    {
    }

    /// <summary>Creates a strategy whose window is given in milliseconds (zero or negative: no window).</summary>
    public AllForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : this(maxNrOfRetries, withinTimeMilliseconds > 0 ? TimeSpan.FromMilliseconds(withinTimeMilliseconds) : null, localOnlyDecider, loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited retries.</summary>
    public AllForOneStrategy(Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true) : this(null, null, localOnlyDecider, loggingEnabled)
    {
    }

    private protected override void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        if (children.Count == 0)
        {
            return;
        }

        if (restart && children.All(stats => RequestRestartPermission(stats, cell)))
        {
            foreach (var stats in children)
            {
                RestartChild(stats.Child, cause, suspendFirst: !ReferenceEquals(stats.Child, failed.Child));
            }
        }
        else
        {
            foreach (var stats in children)
            {
                cell.Stop(stats.Child);
            }
        }
    }
}
