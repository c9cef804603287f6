namespace SecureActors.Actors.Actor;

/// <summary>Sending with an implicit sender, and forwarding.</summary>
public static class ActorRefExtensions
{
    private static readonly AsyncLocal<IActorRef?> AmbientSender = new();

    /// <summary>
    /// Sends <paramref name="message"/> with the running actor as sender; outside an actor the
    /// ambient sender (the TestKit's test actor) or no sender.
    /// </summary>
    public static void Tell(this ICanTell receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.Self ?? AmbientSender.Value);
    }

    /// <summary>Sends <paramref name="message"/> keeping the sender of the message being handled.</summary>
    public static void Forward(this ICanTell receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        var cell = ActorCell.Current ?? throw new NotSupportedException("Forward can only be used while an actor handles a message.");
        receiver.Tell(message, cell.Sender);
    }

    /// <summary>True for a reference that reaches no actor: null (no sender), <see cref="ActorRefs.Nobody"/> or dead letters.</summary>
    public static bool IsNobody(this IActorRef? actor) => actor is null or NobodyActorRef or DeadLettersActorRef;

    /// <summary>Sets the sender that <see cref="Tell(ICanTell, object)"/> uses outside actors, for this async flow.</summary>
    public static void SetAmbientSender(IActorRef? sender) => AmbientSender.Value = sender;
}
