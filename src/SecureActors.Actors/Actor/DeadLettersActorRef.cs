using SecureActors.Actors.Dispatch;
using SecureActors.Actors.Event;

namespace SecureActors.Actors.Actor;

/// <summary>
/// Where undeliverable messages go. Each becomes a <see cref="DeadLetter"/> on the event stream
/// (and a rate-limited log line). Watching it, or a dead actor through it, yields Terminated at once.
/// An <see cref="Identify"/> that ends here, sent to a stopped actor or through a selection that
/// matched nobody, is answered with an empty <see cref="ActorIdentity"/> instead, as Akka's
/// dead-letter reference does, so that the asker learns at once that nobody lives there.
/// </summary>
internal sealed class DeadLettersActorRef(ActorSystem system, ActorPath path) : InternalActorRef, IHasSystem
{
    public override ActorPath Path { get; } = path;

    public ActorSystem System => system;

    public override void Tell(object message, IActorRef? sender)
    {
        switch (message)
        {
            case DeadLetter { Message: Identify identify } deadLetter:
                deadLetter.Sender.Tell(new ActorIdentity(identify.MessageId, null), this);
                break;
            case AllDeadLetters deadLetter:
                system.PublishDeadLetterEvent(deadLetter);
                break;
            case Identify identify:
                sender?.Tell(new ActorIdentity(identify.MessageId, null), this);
                break;
            default:
                system.PublishDeadLetterEvent(new DeadLetter(message, sender ?? this, this));
                break;
        }
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Dispatch.Watch watch && !ReferenceEquals(watch.Watcher, this))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, existenceConfirmed: false));
        }
    }

    public override bool IsTerminated => true;
}
