using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Dispatch;

/// <summary>Decides on which thread an actor's mailbox runs.</summary>
internal abstract class MessageDispatcher(string id, int throughput)
{
    /// <summary>The configuration path this dispatcher was built from.</summary>
    public string Id { get; } = id;

    /// <summary>How many user messages one actor handles per turn before giving up its thread.</summary>
    public int Throughput { get; } = throughput;

    public void Dispatch(ActorCell cell, in Envelope envelope)
    {
        var mailbox = cell.Mailbox;
        if (!mailbox.Enqueue(envelope))
        {
            cell.OnEnqueueRefused(envelope);
            return;
        }

        RegisterForExecution(mailbox, hasMessageHint: true, hasSystemMessageHint: false);
    }

    public void SystemDispatch(ActorCell cell, SystemMessage message)
    {
        var mailbox = cell.Mailbox;
        mailbox.SystemEnqueue(message);
        RegisterForExecution(mailbox, hasMessageHint: false, hasSystemMessageHint: true);
    }

    public void RegisterForExecution(Mailbox mailbox, bool hasMessageHint, bool hasSystemMessageHint)
    {
        if (mailbox.CanBeScheduledForExecution(hasMessageHint, hasSystemMessageHint) && mailbox.SetAsScheduled())
        {
            Execute(mailbox);
        }
    }

    /// <summary>Runs the mailbox (now marked scheduled) on some thread.</summary>
    protected abstract void Execute(Mailbox mailbox);

    /// <summary>Releases threads the dispatcher owns; called once when the system has terminated.</summary>
    public virtual void Shutdown()
    {
    }
}
