namespace SecureActors.Actors.Actor;

/// <summary>An actor with one <see cref="OnReceive"/> method; call <see cref="ActorBase.Unhandled"/> for messages it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Handles one message.</summary>
    protected abstract void OnReceive(object message);
}
