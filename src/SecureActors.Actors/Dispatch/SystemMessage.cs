using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Dispatch;

/*
 * System messages drive an actor's life (create, suspend, resume, restart, stop, watch). They travel
 * in their own queue, which a mailbox drains before every user message, so supervision and
 * DeathWatch are never stuck behind user mail.
 */

/// <summary>A message the runtime sends to an actor cell outside its user mailbox.</summary>
internal abstract class SystemMessage;

/// <summary>Build the actor instance and run <c>PreStart</c>.</summary>
internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
}

/// <summary>Restart the actor after <see cref="Cause"/>.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>Stop processing user messages until a matching <see cref="Resume"/>.</summary>
internal sealed class Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();
}

/// <summary>Undo one <see cref="Suspend"/>; <see cref="CausedByFailure"/> is set when a supervisor resumes a failed child.</summary>
internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

/// <summary>Stop the actor: children first, then <c>PostStop</c>, then tell parent and watchers.</summary>
internal sealed class Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

/// <summary><see cref="Watcher"/> wants to hear when <see cref="Watchee"/> stops.</summary>
internal sealed class Watch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary><see cref="Watcher"/> no longer wants to hear about <see cref="Watchee"/>.</summary>
internal sealed class Unwatch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary><see cref="Actor"/> has stopped; sent to its parent and to each watcher.</summary>
internal sealed class DeathWatchNotification(IActorRef actor, bool existenceConfirmed) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
    public bool ExistenceConfirmed { get; } = existenceConfirmed;
}

/// <summary>A child reports that it failed; its parent's supervisor strategy decides what happens.</summary>
internal sealed class Failed(InternalActorRef child, Exception cause, int uid) : SystemMessage
{
    public InternalActorRef Child { get; } = child;
    public Exception Cause { get; } = cause;
    public int Uid { get; } = uid;
}

/// <summary>A continuation of an async handler, run on the actor's turn with its context restored.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;
    public object? State { get; } = state;
}

/// <summary>The task of an async handler has finished; the mailbox may run user messages again.</summary>
internal sealed class AsyncCompleted(Task task, int generation) : SystemMessage
{
    public Task Task { get; } = task;
    public int Generation { get; } = generation;
}
