namespace SecureActors.Actors.Actor;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>Pass as sender when a message has none; replies to it become dead letters.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>
    /// Stands for "no actor": <c>Context.Child</c> returns it for an unknown name. Messages sent
    /// to it are dropped; test for it with <see cref="ActorRefExtensions.IsNobody"/>.
    /// </summary>
    public static readonly IActorRef Nobody = NobodyActorRef.Instance;
}
