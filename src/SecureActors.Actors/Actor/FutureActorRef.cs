using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Actor;

/// <summary>
/// The temporary reply address of one Ask. The first reply completes the task; a
/// <see cref="Status.Failure"/> faults it; later replies become dead letters.
/// </summary>
internal sealed class FutureActorRef : InternalActorRef
{
    private readonly TaskCompletionSource<object> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem _system;

    public FutureActorRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        Path = path;
    }

    public override ActorPath Path { get; }

    public Task<object> Task => _promise.Task;

    public override bool IsTerminated => _promise.Task.IsCompleted;

    public override void Tell(object message, IActorRef? sender)
    {
        var completed = message is Status.Failure failure
            ? _promise.TrySetException(failure.Cause)
            : _promise.TrySetResult(message);
        if (!completed)
        {
            _system.DeadLetters.Tell(new Event.DeadLetter(message, sender ?? _system.DeadLetters, this), sender);
        }
    }

    // Lets GracefulStop watch an actor through this reference.
    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification)
        {
            _promise.TrySetResult(new Terminated(notification.Actor, notification.ExistenceConfirmed, AddressTerminated: false));
        }
    }

    public bool TrySetException(Exception exception) => _promise.TrySetException(exception);

    public bool TrySetCanceled(CancellationToken token) => _promise.TrySetCanceled(token);
}
