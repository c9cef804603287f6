using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Actor;

/// <summary>What the runtime needs of a reference beyond <see cref="IActorRef"/>: system messages and stopping.</summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public abstract void SendSystemMessage(SystemMessage message);

    /// <summary>True once this incarnation has stopped (best effort; used to skip pointless work).</summary>
    public virtual bool IsTerminated => false;

    public virtual void Stop()
    {
    }

    /// <summary>The child named <paramref name="name"/>, if this is a live actor that has one.</summary>
    public virtual InternalActorRef? GetChild(string name) => null;

    /// <summary>Every live child, for path lookups.</summary>
    public virtual IEnumerable<InternalActorRef> GetChildren() => [];

    public override string ToString() => $"[{Path}#{Path.Uid}]";
}
