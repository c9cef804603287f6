using SecureActors.Actors.Actor;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// A reference to an actor on the calling-thread dispatcher: <see cref="Tell"/> returns after the
/// message was handled, and <see cref="UnderlyingActor"/> exposes the current instance.
/// </summary>
public sealed class TestActorRef<T> : IActorRef, IActorRefWrapper
    where T : ActorBase
{
    private readonly LocalActorRef _actor;

    internal TestActorRef(IActorRef actor) => _actor = (LocalActorRef)actor;

    /// <summary>The plain reference, for equality with references the runtime hands out.</summary>
    public IActorRef Ref => _actor;

    /// <inheritdoc />
    public ActorPath Path => _actor.Path;

    /// <summary>The current actor instance (a new one after each restart).</summary>
    public T UnderlyingActor => (T)(_actor.Cell.Actor ?? throw new InvalidOperationException($"{Path} has no instance (it has stopped or is restarting)."));

    InternalActorRef IActorRefWrapper.Underlying => _actor;

    /// <inheritdoc />
    public void Tell(object message, IActorRef? sender) => _actor.Tell(message, sender);

    /// <inheritdoc />
    public override string ToString() => _actor.ToString();
}
