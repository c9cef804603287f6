using SecureActors.Actors.Scheduling;

namespace SecureActors.Actors.Actor;

/// <summary>Request/response on top of Tell: Ask, PipeTo and GracefulStop.</summary>
public static class Futures
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply address and returns the first reply.
    /// Faults with <see cref="AskTimeoutException"/> after <paramref name="timeout"/> (default
    /// <c>actors.actor.ask-timeout</c>; zero or infinite means no timeout), is cancelled by <paramref name="cancellationToken"/>, and faults
    /// with the cause of a <see cref="Status.Failure"/> reply.
    /// </summary>
    public static Task<object> Ask(this ICanTell receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Ask<object>(receiver, message, timeout, cancellationToken);

    /// <summary>Like <see cref="Ask(ICanTell, object, TimeSpan?, CancellationToken)"/>; a reply that is not a <typeparamref name="T"/> faults with <see cref="ArgumentException"/>.</summary>
    public static async Task<T> Ask<T>(this ICanTell receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        var system = SystemOf(receiver);
        var future = new FutureActorRef(system, system.NewTempPath());
        var limit = timeout ?? system.Settings.AskTimeout;
        ICancelable? timer = null;

        // As in Akka.NET, only a positive timeout arms the timer: zero, like infinite, means none.
        if (limit > TimeSpan.Zero)
        {
            timer = system.Scheduler.ScheduleOnce(limit, () => future.TrySetException(
                new AskTimeoutException($"Ask timed out on [{receiver}] after [{limit.TotalMilliseconds} ms]. Message type: [{message.GetType().Name}].")));
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((FutureActorRef)state!).TrySetCanceled(default), future)
            : default;
        try
        {
            receiver.Tell(message, future);
            var reply = await future.Task.ConfigureAwait(false);
            return reply is T typed
                ? typed
                : throw new ArgumentException($"Ask expected a reply of type {typeof(T).Name} from [{receiver}] but got {reply?.GetType().Name ?? "null"}.");
        }
        finally
        {
            timer?.Cancel();
        }
    }

    /// <summary>
    /// Sends the task's result to <paramref name="recipient"/> when it completes, or a
    /// <see cref="Status.Failure"/> when it fails. The actor never blocks on the task.
    /// </summary>
    public static Task PipeTo<T>(this Task<T> task, ICanTell recipient, IActorRef? sender = null, Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        sender ??= ActorCell.Current?.Self;
        return task.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    recipient.Tell(success is null ? t.Result! : success(t.Result), sender);
                }
                else
                {
                    var cause = t.Exception?.InnerException ?? new TaskCanceledException(t);
                    recipient.Tell(failure is null ? new Status.Failure(cause) : failure(cause), sender);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Like <see cref="PipeTo{T}"/> for a task without a result: sends <see cref="Status.Success"/> or <see cref="Status.Failure"/>.</summary>
    public static Task PipeTo(this Task task, ICanTell recipient, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        sender ??= ActorCell.Current?.Self;
        return task.ContinueWith(
            t => recipient.Tell(t.IsCompletedSuccessfully ? new Status.Success(null) : new Status.Failure(t.Exception?.InnerException ?? new TaskCanceledException(t)), sender),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>) and completes with
    /// true when the actor has stopped, or false if it has not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var internalTarget = target.AsInternal();
        var system = SystemOf(target);
        var watcher = new FutureActorRef(system, system.NewTempPath());
        internalTarget.SendSystemMessage(new Dispatch.Watch(internalTarget, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance, ActorRefs.NoSender);
        var timer = system.Scheduler.ScheduleOnce(timeout, () => watcher.TrySetException(new AskTimeoutException("GracefulStop timed out")));
        try
        {
            var result = await watcher.Task.ConfigureAwait(false);
            return result is Terminated terminated && ReferenceEquals(terminated.ActorRef, target);
        }
        catch (AskTimeoutException)
        {
            internalTarget.SendSystemMessage(new Dispatch.Unwatch(internalTarget, watcher));
            return false;
        }
        finally
        {
            timer.Cancel();
        }
    }

    private static ActorSystem SystemOf(ICanTell receiver) => receiver switch
    {
        LocalActorRef local => local.Cell.System,
        IActorRefWrapper { Underlying: LocalActorRef wrapped } => wrapped.Cell.System,
        ActorSelection selection => selection.System,
        IHasSystem withSystem => withSystem.System,
        _ => ActorCell.Current?.System ?? throw new NotSupportedException($"Cannot tell which actor system [{receiver}] belongs to."),
    };
}

/// <summary>References not backed by a cell (dead letters, probes) that still know their system.</summary>
internal interface IHasSystem
{
    ActorSystem System { get; }
}
