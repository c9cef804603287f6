using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Actor;

/// <summary>The reference to an actor living in this process.</summary>
internal class LocalActorRef : InternalActorRef
{
    public LocalActorRef(ActorCell cell) => Cell = cell;

    public ActorCell Cell { get; }

    public override ActorPath Path => Cell.Path;

    public override void Tell(object message, IActorRef? sender) =>
        Cell.Dispatcher.Dispatch(Cell, new Envelope(message, sender ?? Cell.System.DeadLetters));

    public override void SendSystemMessage(SystemMessage message) => Cell.Dispatcher.SystemDispatch(Cell, message);

    public override bool IsTerminated => Cell.IsTerminated;

    public override void Stop() => SendSystemMessage(Terminate.Instance);

    public override InternalActorRef? GetChild(string name) => Cell.Children.GetChild(name);

    public override IEnumerable<InternalActorRef> GetChildren() => Cell.Children.Snapshot();
}
