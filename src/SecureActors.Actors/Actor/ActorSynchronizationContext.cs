namespace SecureActors.Actors.Actor;

/// <summary>Sends the continuations of an actor's async handler back to the actor as system messages.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.PostContinuation(d, state);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("An actor never blocks on its own context.");

    public override SynchronizationContext CreateCopy() => this;
}
