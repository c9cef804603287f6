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

    /// <summary>Schedules a mailbox again after its turn, if mail or system messages are waiting.</summary>
    public void RescheduleAfterTurn(Mailbox mailbox)
    {
        if (mailbox.CanBeScheduledForExecution(hasMessageHint: false, hasSystemMessageHint: false) && mailbox.SetAsScheduled())
        {
            ExecuteAfterTurn(mailbox);
        }
    }

    /// <summary>Runs the mailbox (now marked scheduled) on some thread.</summary>
    protected abstract void Execute(Mailbox mailbox);

    /// <summary>
    /// Runs a mailbox that used up its turn and still has mail; by default like <see cref="Execute"/>.
    /// A dispatcher that favours the current thread must queue this one behind the others instead.
    /// </summary>
    protected virtual void ExecuteAfterTurn(Mailbox mailbox) => Execute(mailbox);

    /// <summary>Releases threads the dispatcher owns; called once when the system has terminated.</summary>
    public virtual void Shutdown()
    {
    }
}
