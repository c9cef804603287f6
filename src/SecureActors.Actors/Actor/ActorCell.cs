using System.Runtime.ExceptionServices;
using SecureActors.Actors.Dispatch;
using SecureActors.Actors.Event;
using SecureActors.Actors.Scheduling;

namespace SecureActors.Actors.Actor;

/*
 * The cell is the runtime's side of one actor: it owns the mailbox, the current instance, the
 * behaviour stack, the children and the watch lists, and implements the lifecycle:
 *
 *   create   Create  -> constructor, PreStart (failure: ActorInitializationException to parent)
 *   failure  suspend self and children, send Failed to the parent, wait for its directive
 *   restart  Recreate -> old.PreRestart (timers cancelled, stash unstashed, children stopped,
 *            PostStop) -> wait for the stopped children -> new instance -> PostRestart (PreStart)
 *            -> restart surviving children; the failing message is not retried
 *   stop     Terminate -> stop children and wait for them -> PostStop -> mailbox closed (mail to
 *            dead letters) -> DeathWatchNotification to the parent, then to the watchers
 *
 * Everything here runs on the actor's own turn (one thread at a time) except ActorOf on a guardian
 * and the children lookups, which the ChildrenContainer locks.
 */

/// <summary>The runtime state of one actor; also its <see cref="IActorContext"/>.</summary>
internal class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? _currentCell;

    private static readonly object NoCustomMessage = new();

    private readonly List<Receive> _behaviors = new(1);
    private Dictionary<IActorRef, object>? _watching;
    private HashSet<IActorRef>? _watchedBy;
    private Dictionary<IActorRef, object>? _terminatedQueued;
    private ActorBase? _actor;
    private Envelope _envelope;
    private object? _failedMessage;
    private bool _isFailed;
    private bool _isTerminating;
    private volatile bool _isTerminated;
    private Exception? _recreateCause;
    private int _childNameCounter;

    private TimeSpan? _receiveTimeout;
    private ICancelable? _receiveTimeoutTask;
    private int _receiveTimeoutGeneration;
    private long _lastActivityTicks;

    private ActorSynchronizationContext? _synchronizationContext;
    private bool _asyncPending;
    private int _asyncGeneration;
    private Envelope _asyncEnvelope;

    public ActorCell(ActorSystem system, ActorPath path, Props props, MessageDispatcher dispatcher, Mailbox mailbox, InternalActorRef parent)
    {
        System = system;
        Path = path;
        Props = props;
        Dispatcher = dispatcher;
        Mailbox = mailbox;
        Parent = parent;
        mailbox.SetActor(this);
    }

    /// <summary>The cell whose actor is running on this thread, if any.</summary>
    public static ActorCell? Current => _currentCell;

    public ActorSystem System { get; }

    public ActorPath Path { get; }

    public Props Props { get; }

    public MessageDispatcher Dispatcher { get; }

    public Mailbox Mailbox { get; }

    public InternalActorRef Parent { get; }

    public LocalActorRef Self { get; internal set; } = null!;

    public ChildrenContainer Children { get; } = new();

    public ActorBase? Actor => _actor;

    public bool IsTerminated => _isTerminated;

    public bool IsCurrentThreadOwner => ReferenceEquals(_currentCell, this);

    public IActorRef Sender => _envelope.Sender ?? System.DeadLetters;

    /// <summary>Counts handled messages, so a stash can tell one message from the next.</summary>
    public long InvocationCount { get; private set; }

    /// <summary>The message being handled, or null between messages.</summary>
    public object? CurrentMessage => _envelope.Message;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    IActorRef IActorContext.Self => Self;

    IActorRef IActorContext.Parent => Parent;

    IReadOnlyCollection<IActorRef> IActorContext.Children => Children.Snapshot();

    public void Start() => Self.SendSystemMessage(Dispatch.Create.Instance);

    // ---------------------------------------------------------------- children

    public IActorRef Child(string name) => Children.GetChild(name) ?? ActorRefs.Nobody;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = "$" + EncodeCounter(Interlocked.Increment(ref _childNameCounter));
        }
        else if (!ActorPath.IsValidName(name))
        {
            throw new InvalidActorNameException($"Invalid actor name [{name}]: use letters, digits and -_.*+:@&=,!~';, not starting with '$'.");
        }

        Children.Reserve(name);
        try
        {
            var uid = ActorSystem.NewUid();
            var child = System.CreateActor(props, Self, Path.Child(name, uid));
            Children.Initialize(name, new ChildRestartStats(child, uid));
            child.Cell.Start();
            if (_isTerminating)
            {
                Stop(child);
            }

            return child;
        }
        catch
        {
            Children.Unreserve(name);
            throw;
        }
    }

    private static string EncodeCounter(int value)
    {
        const string digits = "abcdefghijklmnopqrstuvwxyz";
        Span<char> buffer = stackalloc char[8];
        var i = buffer.Length;
        var n = (uint)value;
        do
        {
            buffer[--i] = digits[(int)(n % 26)];
            n /= 26;
        }
        while (n > 0);

        return new string(buffer[i..]);
    }

    public ActorSelection ActorSelection(string path) => global::SecureActors.Actors.Actor.ActorSelection.Create(System, Self, path);

    public void Stop(IActorRef actor)
    {
        var target = actor.AsInternal();
        Children.MarkToDie(target);
        target.Stop();
    }

    // ---------------------------------------------------------------- message processing

    public void Invoke(in Envelope envelope)
    {
        var previous = _currentCell;
        _currentCell = this;
        _envelope = envelope;
        InvocationCount++;
        try
        {
            var message = envelope.Message;
            if (message is IAutoReceivedMessage)
            {
                AutoReceiveMessage(envelope);
            }
            else
            {
                ReceiveMessage(message);
            }

            if (_receiveTimeout is not null && message is not INotInfluenceReceiveTimeout)
            {
                _lastActivityTicks = System.Scheduler.MonotonicClock.Ticks;
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex);
        }
        finally
        {
            _envelope = default;
            _currentCell = previous;
        }
    }

    private void ReceiveMessage(object message)
    {
        if (_actor is null)
        {
            System.DeadLetters.Tell(new DeadLetter(message, Sender, Self), Sender);
            return;
        }

        if (!_actor.InvokeAroundReceive(_behaviors[^1], message))
        {
            _actor.InvokeUnhandled(message);
        }
    }

    private void AutoReceiveMessage(in Envelope envelope)
    {
        switch (envelope.Message)
        {
            case Terminated terminated:
                if (_terminatedQueued is not null && _terminatedQueued.Remove(terminated.ActorRef, out var custom))
                {
                    ReceiveMessage(ReferenceEquals(custom, NoCustomMessage) ? terminated : custom);
                }

                break;
            case PoisonPill:
                Self.Stop();
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Identify identify:
                envelope.Sender.Tell(new ActorIdentity(identify.MessageId, Self), Self);
                break;
            case ReceiveTimeoutTick tick:
                OnReceiveTimeoutTick(tick);
                break;
            case TimerScheduler.TimerMessage timer:
                if (_actor is IWithTimers { Timers: TimerScheduler timers } && timers.Accept(timer))
                {
                    _envelope = new Envelope(timer.Message, System.DeadLetters);
                    ReceiveMessage(timer.Message);
                }

                break;
            default:
                ReceiveMessage(envelope.Message);
                break;
        }
    }

    public void SystemInvoke(SystemMessage message)
    {
        var previous = _currentCell;
        _currentCell = this;
        try
        {
            switch (message)
            {
                case Dispatch.Create:
                    Create();
                    break;
                case Recreate recreate:
                    FaultRecreate(recreate.Cause);
                    break;
                case Dispatch.Suspend:
                    FaultSuspend();
                    break;
                case Dispatch.Resume resume:
                    FaultResume(resume.CausedByFailure);
                    break;
                case Dispatch.Terminate:
                    Terminate();
                    break;
                case Dispatch.Watch watch:
                    AddWatcher(watch);
                    break;
                case Dispatch.Unwatch unwatch:
                    RemoveWatcher(unwatch);
                    break;
                case DeathWatchNotification notification:
                    OnDeathWatchNotification(notification);
                    break;
                case Failed failed:
                    OnChildFailed(failed);
                    break;
                case RunContinuation continuation:
                    RunContinuation(continuation);
                    break;
                case AsyncCompleted completed:
                    OnAsyncCompleted(completed);
                    break;
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex);
        }
        finally
        {
            _currentCell = previous;
        }
    }

    /// <summary>A user message could not be queued (bounded mailbox full, or the actor stopped).</summary>
    public void OnEnqueueRefused(in Envelope envelope)
    {
        if (Mailbox.IsClosed)
        {
            System.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender, Self), envelope.Sender);
        }
        else
        {
            System.PublishDeadLetterEvent(new Dropped(envelope.Message, "Mailbox is full", envelope.Sender, Self));
        }
    }

    // ---------------------------------------------------------------- behaviours

    public void Become(Receive receive)
    {
        if (_behaviors.Count > 0)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }

        _behaviors.Add(receive);
    }

    public void BecomeStacked(Receive receive) => _behaviors.Add(receive);

    public void UnbecomeStacked()
    {
        if (_behaviors.Count > 1)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }
        else if (_actor is not null)
        {
            _behaviors.Clear();
            _behaviors.Add(_actor.InvokeReceive);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private ActorBase NewActor()
    {
        _behaviors.Clear();
        var actor = Props.NewActor();
        if (!ReferenceEquals(actor.Cell, this))
        {
            throw new ActorInitializationException(Self, "The props factory must create a new actor instance each time.", null);
        }

        // A ReceiveActor may already have pushed behaviours with Become in its constructor.
        _behaviors.Insert(0, actor.InvokeReceive);
        if (actor is IWithTimers withTimers)
        {
            withTimers.Timers = new TimerScheduler(this);
        }

        if (actor is IWithUnboundedStash withStash)
        {
            withStash.Stash = new UnboundedStash(this);
        }

        return actor;
    }

    private void Create()
    {
        try
        {
            _actor = NewActor();
            _actor.InvokePreStart();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException(Self, $"Exception while creating {Path}: {ex.Message}", ex));
        }
    }

    private void HandleInvokeFailure(Exception cause)
    {
        if (_isTerminating || _isTerminated)
        {
            System.LoggerFor(Path, GetType()).Error(cause, "{ActorPath} failed while stopping: {Reason}", Path.ToString(), cause.Message);
            return;
        }

        if (_isFailed)
        {
            return;
        }

        _isFailed = true;
        _failedMessage = _envelope.Message;
        Mailbox.Suspend();
        foreach (var child in Children.Snapshot())
        {
            child.SendSystemMessage(Dispatch.Suspend.Instance);
        }

        Parent.SendSystemMessage(new Failed(Self, cause, Path.Uid));
    }

    private void FaultSuspend()
    {
        Mailbox.Suspend();
        foreach (var child in Children.Snapshot())
        {
            child.SendSystemMessage(Dispatch.Suspend.Instance);
        }
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_actor is null && causedByFailure is not null)
        {
            FaultCreate();
            return;
        }

        Mailbox.Resume();
        if (causedByFailure is not null)
        {
            _isFailed = false;
        }

        foreach (var child in Children.Snapshot())
        {
            child.SendSystemMessage(new Dispatch.Resume(null));
        }
    }

    // The actor failed in its constructor, so there is no instance to restart: build one.
    private void FaultCreate()
    {
        Mailbox.Resume();
        _isFailed = false;
        Create();
    }

    private void FaultRecreate(Exception cause)
    {
        if (_isTerminating)
        {
            return;
        }

        if (_actor is null)
        {
            FaultCreate();
            return;
        }

        var failed = _actor;
        try
        {
            _envelope = new Envelope(_failedMessage!, System.DeadLetters);
            failed.AroundPreRestart(cause, _failedMessage);
        }
        catch (Exception ex)
        {
            System.LoggerFor(Path, failed.GetType()).Error(ex, "{ActorPath} threw in PreRestart: {Reason}", Path.ToString(), ex.Message);
        }
        finally
        {
            ClearActor();
        }

        if (Children.HasChildrenToDie)
        {
            _recreateCause = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        _recreateCause = null;
        var survivors = Children.Snapshot();
        try
        {
            Mailbox.Resume();
            _isFailed = false;
            _actor = NewActor();
            _actor.InvokePostRestart(cause);
            foreach (var survivor in survivors)
            {
                survivor.SendSystemMessage(new Recreate(cause));
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException(Self, $"Exception while restarting {Path}: {ex.Message}", ex));
        }
    }

    private void ClearActor()
    {
        _actor = null;
        _behaviors.Clear();
        SetReceiveTimeout(null);
        if (_asyncPending)
        {
            _asyncPending = false;
            _asyncGeneration++;
            Mailbox.Resume();
        }
    }

    private void Terminate()
    {
        if (_isTerminating)
        {
            return;
        }

        _isTerminating = true;
        SetReceiveTimeout(null);
        foreach (var child in Children.Snapshot())
        {
            Stop(child);
        }

        if (Children.HasChildrenToDie)
        {
            Mailbox.Suspend();
        }
        else
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        try
        {
            actor?.AroundPostStop();
        }
        catch (Exception ex)
        {
            System.LoggerFor(Path, actor!.GetType()).Error(ex, "{ActorPath} threw in PostStop: {Reason}", Path.ToString(), ex.Message);
        }
        finally
        {
            _isTerminated = true;
            Mailbox.BecomeClosed();
            Parent.SendSystemMessage(new DeathWatchNotification(Self, existenceConfirmed: true));
            TellWatchersWeDied();
            UnwatchWatchedActors();
            _actor = null;
            _behaviors.Clear();
        }
    }

    private void OnChildTerminated(IActorRef child)
    {
        if (!Children.Remove(child) || Children.HasChildrenToDie)
        {
            return;
        }

        if (_isTerminating)
        {
            if (!_isTerminated)
            {
                FinishTerminate();
            }
        }
        else if (_recreateCause is { } cause)
        {
            FinishRecreate(cause);
        }
    }

    private void OnChildFailed(Failed failed)
    {
        var stats = Children.GetStats(failed.Child);
        if (stats is null || stats.Uid != failed.Uid || _isTerminating)
        {
            return;
        }

        var strategy = _actor?.SupervisorStrategyInternal ?? SupervisorStrategy.DefaultStrategy;
        if (!strategy.HandleFailure(this, stats, failed.Cause, Children.StatsSnapshot()))
        {
            ExceptionDispatchInfo.Capture(failed.Cause).Throw();
        }
    }

    // ---------------------------------------------------------------- DeathWatch

    public IActorRef Watch(IActorRef subject) => WatchInternal(subject, NoCustomMessage);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchInternal(subject, message);
    }

    private IActorRef WatchInternal(IActorRef subject, object message)
    {
        var target = subject.AsInternal();
        if (ReferenceEquals(target, Self))
        {
            return subject;
        }

        _watching ??= new Dictionary<IActorRef, object>(ReferenceEqualityComparer.Instance);
        if (_watching.TryGetValue(target, out var existing))
        {
            if (!Equals(existing, message))
            {
                throw new InvalidOperationException($"Already watching {subject} with a different termination message.");
            }

            return subject;
        }

        _watching[target] = message;
        target.SendSystemMessage(new Dispatch.Watch(target, Self));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        var target = subject.AsInternal();
        if (_watching is not null && _watching.Remove(target))
        {
            target.SendSystemMessage(new Dispatch.Unwatch(target, Self));
        }

        _terminatedQueued?.Remove(target);
        return subject;
    }

    private void AddWatcher(Dispatch.Watch watch)
    {
        if (ReferenceEquals(watch.Watchee, Self) && !ReferenceEquals(watch.Watcher, Self))
        {
            _watchedBy ??= new HashSet<IActorRef>(ReferenceEqualityComparer.Instance);
            _watchedBy.Add(watch.Watcher);
        }
    }

    private void RemoveWatcher(Dispatch.Unwatch unwatch)
    {
        if (ReferenceEquals(unwatch.Watchee, Self))
        {
            _watchedBy?.Remove(unwatch.Watcher);
        }
    }

    private void OnDeathWatchNotification(DeathWatchNotification notification)
    {
        var actor = notification.Actor;
        if (_watching is not null && _watching.Remove(actor, out var custom) && !_isTerminating)
        {
            _terminatedQueued ??= new Dictionary<IActorRef, object>(ReferenceEqualityComparer.Instance);
            _terminatedQueued[actor] = custom;
            Self.Tell(new Terminated(actor, notification.ExistenceConfirmed, AddressTerminated: false), actor);
        }

        OnChildTerminated(actor);
    }

    private void TellWatchersWeDied()
    {
        if (_watchedBy is null)
        {
            return;
        }

        foreach (var watcher in _watchedBy)
        {
            if (!ReferenceEquals(watcher, Parent))
            {
                watcher.AsInternal().SendSystemMessage(new DeathWatchNotification(Self, existenceConfirmed: true));
            }
        }

        _watchedBy.Clear();
    }

    private void UnwatchWatchedActors()
    {
        if (_watching is null)
        {
            return;
        }

        foreach (var watched in _watching.Keys)
        {
            watched.AsInternal().SendSystemMessage(new Dispatch.Unwatch(watched.AsInternal(), Self));
        }

        _watching.Clear();
        _terminatedQueued?.Clear();
    }

    // ---------------------------------------------------------------- receive timeout

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        _receiveTimeoutGeneration++;
        _receiveTimeoutTask?.Cancel();
        _receiveTimeoutTask = null;
        _receiveTimeout = timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? t : null;
        if (_receiveTimeout is { } delay)
        {
            _lastActivityTicks = System.Scheduler.MonotonicClock.Ticks;
            ScheduleReceiveTimeout(delay);
        }
    }

    private void ScheduleReceiveTimeout(TimeSpan delay) =>
        _receiveTimeoutTask = System.Scheduler.ScheduleTellOnceCancelable(delay, Self, new ReceiveTimeoutTick(_receiveTimeoutGeneration), null);

    // Messages only record the time of activity; the tick checks how long the actor has really
    // been idle and re-arms for the remainder, so busy actors do not reschedule per message.
    private void OnReceiveTimeoutTick(ReceiveTimeoutTick tick)
    {
        if (tick.Generation != _receiveTimeoutGeneration || _receiveTimeout is not { } timeout)
        {
            return;
        }

        var idle = TimeSpan.FromTicks(System.Scheduler.MonotonicClock.Ticks - _lastActivityTicks);
        if (idle < timeout)
        {
            ScheduleReceiveTimeout(timeout - idle);
            return;
        }

        _lastActivityTicks = System.Scheduler.MonotonicClock.Ticks;
        ScheduleReceiveTimeout(timeout);
        _envelope = new Envelope(global::SecureActors.Actors.Actor.ReceiveTimeout.Instance, System.DeadLetters);
        ReceiveMessage(global::SecureActors.Actors.Actor.ReceiveTimeout.Instance);
    }

    private sealed class ReceiveTimeoutTick(int generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout
    {
        public int Generation { get; } = generation;
    }

    // ---------------------------------------------------------------- async handlers

    /// <summary>
    /// Runs an async handler. Its continuations come back as system messages and run on the
    /// actor's turn with <see cref="Sender"/> restored; user mail waits until the task completes.
    /// </summary>
    public void RunAsync(Func<Task> handler)
    {
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext ??= new ActorSynchronizationContext(this));
        Task task;
        try
        {
            task = handler();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }

        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }

        _asyncPending = true;
        _asyncEnvelope = _envelope;
        Mailbox.Suspend();
        var generation = _asyncGeneration;
        task.ContinueWith(
            static (t, state) =>
            {
                var (cell, generation) = ((ActorCell, int))state!;
                cell.Self.SendSystemMessage(new AsyncCompleted(t, generation));
            },
            (this, generation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void PostContinuation(SendOrPostCallback callback, object? state) =>
        Self.SendSystemMessage(new RunContinuation(callback, state));

    private void RunContinuation(RunContinuation continuation)
    {
        if (_isTerminated)
        {
            return;
        }

        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        _envelope = _asyncEnvelope;
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            _envelope = default;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private void OnAsyncCompleted(AsyncCompleted completed)
    {
        if (completed.Generation != _asyncGeneration || !_asyncPending)
        {
            return;
        }

        _asyncPending = false;
        _asyncGeneration++;
        Mailbox.Resume();
        if (completed.Task.IsFaulted || completed.Task.IsCanceled)
        {
            _envelope = _asyncEnvelope;
            var cause = completed.Task.Exception?.InnerException ?? new TaskCanceledException(completed.Task);
            HandleInvokeFailure(cause);
            _envelope = default;
        }

        _asyncEnvelope = default;
    }
}
