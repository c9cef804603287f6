namespace SecureActors.Actors.Actor;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; the failing message is dropped.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance; the failing message is dropped, the rest of the mailbox kept.</summary>
    Restart,

    /// <summary>Stop the actor; its remaining mail goes to dead letters.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so its own parent decides.</summary>
    Escalate,
}
