namespace SecureActors.Actors.Actor;

/// <summary>
/// The reference that stands for "no actor" (Akka's <c>Nobody</c>): what <c>Context.Child</c>
/// returns for an unknown name. It belongs to no system, and whatever is sent to it is dropped.
/// </summary>
internal sealed class NobodyActorRef : InternalActorRef
{
    public static readonly NobodyActorRef Instance = new();

    private NobodyActorRef()
    {
    }

    public override ActorPath Path { get; } = ActorPath.Root("all-systems").Child("Nobody");

    public override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender)
    {
    }

    public override void SendSystemMessage(Dispatch.SystemMessage message)
    {
    }

    public override string ToString() => "Nobody";
}
