namespace SecureActors.Actors.Actor;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>Pass as sender when a message has none; replies to it become dead letters.</summary>
    public static readonly IActorRef? NoSender;
}
