using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Dispatch;

/*
 * A mailbox is both the queue of one actor and the work item that runs it. Its status word holds,
 * in one int changed only by compare-and-swap:
 *   bit 0  Closed     the actor has stopped; nothing will run again
 *   bit 1  Scheduled  a thread owns the actor right now (or is about to); at most one at a time
 *   bits 2+           suspend count (failures, async handlers, stopping with children)
 * A run drains system messages, then handles up to `throughput` user messages, draining system
 * messages again after each one, then releases the actor and reschedules it if mail is waiting.
 */

/// <summary>One actor's queue and the unit of work a dispatcher runs.</summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int ClosedBit = 1;
    private const int ScheduledBit = 2;
    private const int SuspendUnit = 4;

    private readonly MessageQueue _queue;
    private readonly SystemMessageQueue _systemQueue = new();
    private LinkedList<Envelope>? _front;
    private int _status;

    public Mailbox(MessageQueue queue, MessageDispatcher dispatcher)
    {
        _queue = queue;
        Dispatcher = dispatcher;
    }

    public ActorCell Cell { get; private set; } = null!;

    public MessageDispatcher Dispatcher { get; }

    public void SetActor(ActorCell cell) => Cell = cell;

    public bool IsClosed => (Volatile.Read(ref _status) & ClosedBit) != 0;

    public bool IsSuspended => Volatile.Read(ref _status) >= SuspendUnit;

    public bool IsScheduled => (Volatile.Read(ref _status) & ScheduledBit) != 0;

    public int NumberOfMessages => _queue.Count + (_front?.Count ?? 0);

    public bool HasMessages => _queue.HasMessages || _front is { Count: > 0 };

    public bool HasSystemMessages => !_systemQueue.IsEmpty;

    /// <summary>Queues a user message; false when a bounded queue is full or the actor has stopped.</summary>
    public bool Enqueue(in Envelope envelope)
    {
        if (IsClosed)
        {
            return false;
        }

        if (!_queue.TryEnqueue(envelope))
        {
            return false;
        }

        // The actor may have stopped between the check and the enqueue; do not strand the message.
        if (IsClosed)
        {
            DrainToDeadLetters();
        }

        return true;
    }

    public void SystemEnqueue(SystemMessage message)
    {
        _systemQueue.Enqueue(message);
        if (IsClosed)
        {
            DrainSystemMessagesOfDeadActor();
        }
    }

    /// <summary>Puts messages at the head of the queue, keeping their order (unstash). Owner thread only.</summary>
    public void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        _front ??= new LinkedList<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            _front.AddFirst(envelopes[i]);
        }
    }

    private bool TryDequeue(out Envelope envelope)
    {
        if (_front is { Count: > 0 } front)
        {
            envelope = front.First!.Value;
            front.RemoveFirst();
            return true;
        }

        return _queue.TryDequeue(out envelope);
    }

    public bool CanBeScheduledForExecution(bool hasMessageHint, bool hasSystemMessageHint)
    {
        var status = Volatile.Read(ref _status);
        if ((status & ClosedBit) != 0)
        {
            return false;
        }

        if (status >= SuspendUnit)
        {
            return hasSystemMessageHint || HasSystemMessages;
        }

        return hasMessageHint || hasSystemMessageHint || HasSystemMessages || HasMessages;
    }

    public bool SetAsScheduled()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & (ClosedBit | ScheduledBit)) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _status, status | ScheduledBit, status) == status)
            {
                return true;
            }
        }
    }

    private void SetAsIdle()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (Interlocked.CompareExchange(ref _status, status & ~ScheduledBit, status) == status)
            {
                return;
            }
        }
    }

    public void Suspend()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & ClosedBit) != 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _status, status + SuspendUnit, status) == status)
            {
                return;
            }
        }
    }

    public void Resume()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & ClosedBit) != 0 || status < SuspendUnit)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _status, status - SuspendUnit, status) == status)
            {
                return;
            }
        }
    }

    /// <summary>Marks the actor stopped and hands every message still queued to dead letters.</summary>
    public void BecomeClosed()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (Interlocked.CompareExchange(ref _status, status | ClosedBit, status) == status)
            {
                break;
            }
        }

        DrainToDeadLetters();
    }

    private bool ShouldProcessMessage => (Volatile.Read(ref _status) & ~ScheduledBit) == 0;

    /// <summary>Runs one turn of the actor; called by exactly one thread at a time.</summary>
    public void Execute()
    {
        try
        {
            if (!IsClosed)
            {
                ProcessAllSystemMessages();
                ProcessMailbox();
            }
        }
        finally
        {
            SetAsIdle();
            Dispatcher.RescheduleAfterTurn(this);
        }
    }

    private void ProcessMailbox()
    {
        var left = Dispatcher.Throughput;
        while (ShouldProcessMessage && TryDequeue(out var envelope))
        {
            Cell.Invoke(envelope);
            ProcessAllSystemMessages();
            if (--left <= 0)
            {
                break;
            }
        }
    }

    internal void ProcessAllSystemMessages()
    {
        while (!IsClosed && _systemQueue.TryDequeue(out var message))
        {
            Cell.SystemInvoke(message);
        }

        if (IsClosed)
        {
            DrainSystemMessagesOfDeadActor();
        }
    }

    private void DrainToDeadLetters()
    {
        var cell = Cell;
        if (_front is { } front && cell.IsCurrentThreadOwner)
        {
            foreach (var envelope in front)
            {
                cell.System.DeadLetters.Tell(new Event.DeadLetter(envelope.Message, envelope.Sender, cell.Self), envelope.Sender);
            }

            front.Clear();
        }

        while (_queue.TryDequeue(out var envelope))
        {
            cell.System.DeadLetters.Tell(new Event.DeadLetter(envelope.Message, envelope.Sender, cell.Self), envelope.Sender);
        }
    }

    // A watch request that reaches a stopped actor is answered at once with Terminated
    // (existence not confirmed), so watching an actor that is already dead still completes.
    private void DrainSystemMessagesOfDeadActor()
    {
        while (_systemQueue.TryDequeue(out var message))
        {
            if (message is Watch watch && watch.Watcher != watch.Watchee && ReferenceEquals(watch.Watchee, Cell.Self))
            {
                watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, existenceConfirmed: false));
            }
        }
    }
}
