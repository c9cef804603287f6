namespace SecureActors.Actors.Actor;

/// <summary>Base of the runtime's own exceptions.</summary>
public class ActorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ActorException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>; the default strategy stops it.</summary>
public sealed class ActorKilledException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException() : base("Kill")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorKilledException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ActorKilledException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>Thrown when an actor does not handle the <see cref="Terminated"/> of an actor it watched.</summary>
public sealed class DeathPactException : ActorException
{
    /// <summary>Creates the exception for the actor that died.</summary>
    public DeathPactException(IActorRef deadActor) : base($"Monitored actor {deadActor} terminated") => DeadActor = deadActor;

    /// <summary>Creates the exception.</summary>
    public DeathPactException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeathPactException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DeathPactException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>The watched actor whose death was not handled.</summary>
    public IActorRef? DeadActor { get; }
}

/// <summary>The constructor, <c>PreStart</c> or <c>PostRestart</c> threw; the default strategy stops the actor.</summary>
public class ActorInitializationException : ActorException
{
    /// <summary>Creates the exception for <paramref name="actor"/>.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? innerException)
        : base(message, innerException) => Actor = actor;

    /// <summary>Creates the exception.</summary>
    public ActorInitializationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorInitializationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ActorInitializationException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>The actor that failed to start, when known.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>A child name is invalid or already taken by a live sibling.</summary>
public sealed class InvalidActorNameException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidActorNameException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public InvalidActorNameException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>An Ask got no reply in time.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AskTimeoutException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AskTimeoutException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>An actor selection matched no live actor.</summary>
public sealed class ActorNotFoundException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ActorNotFoundException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>An actor API was used in a state where it is not allowed (e.g. stashing the same message twice).</summary>
public sealed class IllegalActorStateException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public IllegalActorStateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IllegalActorStateException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public IllegalActorStateException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
