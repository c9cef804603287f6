namespace SecureActors.Actors.Actor;

/// <summary>A behaviour: handles a message and returns false when it does not handle it.</summary>
public delegate bool Receive(object message);

/// <summary>What an actor can see and do about itself while it handles a message.</summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being handled (dead letters when there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The actor that created this one.</summary>
    IActorRef Parent { get; }

    /// <summary>The props this actor was created from (after deployment configuration was applied).</summary>
    Props Props { get; }

    /// <summary>The system this actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>The live children.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The child named <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/> (as in Akka.NET).</summary>
    IActorRef Child(string name);

    /// <summary>Creates a child; the name must be unique among live siblings (null: a generated <c>$</c> name).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Looks actors up by absolute path or by a path relative to this actor (<c>../sibling</c>).</summary>
    ActorSelection ActorSelection(string path);

    /// <summary>Stops <paramref name="actor"/> (a child, or this actor) after its current message.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops, also if it is already dead.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Like <see cref="Watch"/>, but delivers <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a <see cref="Terminated"/> already queued for the subject is discarded.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behaviour.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour pushed last.</summary>
    void UnbecomeStacked();

    /// <summary>Sends <see cref="Actor.ReceiveTimeout"/> after this much idle time, repeatedly; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>The current receive timeout, or null.</summary>
    TimeSpan? ReceiveTimeout { get; }
}
