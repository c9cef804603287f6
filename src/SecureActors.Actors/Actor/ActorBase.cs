using SecureActors.Actors.Event;

namespace SecureActors.Actors.Actor;

/// <summary>
/// The base of every actor. Instances are created by the runtime from <see cref="Props"/>; an actor
/// handles one message at a time, so its fields need no locking.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;
    private SupervisorStrategy? _supervisorStrategy;

    /// <summary>Binds the new instance to the cell that is creating it.</summary>
    protected ActorBase()
    {
        _cell = ActorCell.Current
            ?? throw new ActorInitializationException("An actor must be created by ActorOf from Props, not with 'new'.");
    }

    /// <summary>The context of the actor currently running on this thread.</summary>
    protected static IActorContext Context =>
        ActorCell.Current ?? throw new NotSupportedException("There is no active actor context on this thread.");

    /// <summary>This actor.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being handled.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>The initial behaviour.</summary>
    protected abstract bool Receive(object message);

    /// <summary>Runs after the constructor, before the first message.</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Runs after the actor stopped and its children have stopped.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before a restart; by default unwatches and stops all children, then calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        var context = Context;
        foreach (var child in context.Children)
        {
            context.Unwatch(child);
            context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>
    /// Called for messages no behaviour handled: an unhandled <see cref="Terminated"/> throws
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        _cell.System.PublishDeadLetterEvent(new UnhandledMessage(message, _cell.Sender, _cell.Self));
    }

    /// <summary>How this actor supervises its children; <see cref="Actor.SupervisorStrategy.DefaultStrategy"/> unless overridden or set on the props.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => _cell.Props.SupervisorStrategy ?? Actor.SupervisorStrategy.DefaultStrategy;

    internal SupervisorStrategy SupervisorStrategyInternal => _supervisorStrategy ??= SupervisorStrategy();

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal bool InvokeAroundReceive(Receive receive, object message) => AroundReceive(receive, message);

    /// <summary>
    /// Runs the current behaviour on one message (Akka's <c>AroundReceive</c>). Override to wrap the
    /// handling of every user message in one place, e.g. to log a failure with the actor's context
    /// before supervision sees it; call the base (or <paramref name="receive"/>) to handle it.
    /// </summary>
    /// <returns>False when the behaviour did not handle the message (it then goes to <see cref="Unhandled"/>).</returns>
    protected virtual bool AroundReceive(Receive receive, object message)
    {
        ArgumentNullException.ThrowIfNull(receive);
        return receive(message);
    }

    internal bool InvokeReceive(object message) => Receive(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostRestart(Exception cause) => PostRestart(cause);

    internal virtual void AroundPreRestart(Exception cause, object? message)
    {
        (this as IWithTimers)?.Timers?.CancelAll();
        (this as IWithUnboundedStash)?.Stash?.UnstashAll();
        PreRestart(cause, message);
    }

    internal virtual void AroundPostStop()
    {
        (this as IWithTimers)?.Timers?.CancelAll();
        (this as IWithUnboundedStash)?.Stash?.UnstashAll();
        PostStop();
    }
}
