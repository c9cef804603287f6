using SecureActors.Actors.Dispatch;
using SecureActors.Actors.Event;
using SecureActors.Actors.Routing;
using SecureActors.Actors.Scheduling;
using SecureActors.Hocon;

namespace SecureActors.Actors.Actor;

/// <summary>
/// A hierarchy of actors with its configuration, dispatchers, scheduler, event stream and logging.
/// Top-level actors are created with <see cref="ActorOf"/> under <c>/user</c>; the system stops
/// with <see cref="Terminate"/> (through coordinated shutdown unless configured otherwise).
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private const string ReferenceResource = "SecureActors.Actors.reference.conf";

    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Serilog.ILogger _rootLogger;
    private readonly DeadLetterLogger _deadLetterLogger;
    private readonly Lazy<CoordinatedShutdown> _coordinatedShutdown;
    private readonly LocalActorRef _root;
    private readonly LocalActorRef _userGuardian;
    private readonly LocalActorRef _systemGuardian;
    private int _terminateRequested;
    private long _tempCounter;

    private ActorSystem(string name, Config config, ActorSystemSetup setup)
    {
        Name = name;
        Config = config;
        Settings = ActorSystemSettings.FromConfig(config);
        _rootLogger = setup.Logger ?? Serilog.Log.Logger;
        Log = LoggerFor(ActorPath.Root(name), typeof(ActorSystem));
        Scheduler = setup.SchedulerFactory?.Invoke()
            ?? new DefaultScheduler(ex => Log.Error(ex, "A scheduled task failed: {Reason}", ex.Message));
        Dispatchers = new Dispatchers(config);
        Mailboxes = new Mailboxes(config);
        Deployer = new Deployer(config);
        var rootPath = ActorPath.Root(name);
        DeadLettersRef = new DeadLettersActorRef(this, rootPath.Child("deadLetters"));
        _deadLetterLogger = new DeadLetterLogger(
            LoggerFor(DeadLettersRef.Path, typeof(DeadLetter)),
            Settings.LogDeadLetters,
            Settings.LogDeadLettersDuringShutdown,
            Settings.LogDeadLettersSuspendDuration,
            () => Scheduler.MonotonicClock);
        _coordinatedShutdown = new Lazy<CoordinatedShutdown>(() => new CoordinatedShutdown(this));

        var rootCell = NewCell(Props.Create(() => new RootGuardianActor()), rootPath, new TerminationSentinel(this));
        _root = rootCell.Self;
        rootCell.Start();
        _userGuardian = (LocalActorRef)rootCell.ActorOf(Props.Create(() => new GuardianActor()), "user");
        _systemGuardian = (LocalActorRef)rootCell.ActorOf(Props.Create(() => new GuardianActor()), "system");
        _root.Tell(new RootGuardianActor.WatchGuardians(_userGuardian, _systemGuardian), null);

        if (CoordinatedShutdown.Settings.RunByClrShutdownHook)
        {
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    /// <summary>
    /// Starts a system. <paramref name="config"/> is layered over the embedded reference
    /// configuration; <paramref name="setup"/> supplies the logger and, in tests, the scheduler.
    /// </summary>
    public static ActorSystem Create(string name, Config? config = null, ActorSystemSetup? setup = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Invalid actor system name [{name}]: use letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
        }

        var full = (config ?? ConfigFactory.Empty).WithFallback(ReferenceConfig);
        return new ActorSystem(name, full, setup ?? new ActorSystemSetup());
    }

    /// <summary>Starts a system from HOCON text layered over the reference configuration.</summary>
    public static ActorSystem Create(string name, string hocon) => Create(name, ConfigFactory.ParseString(hocon, "ActorSystem.Create"));

    /// <summary>The embedded reference configuration (every default of the runtime).</summary>
    public static Config ReferenceConfig { get; } = ConfigFactory.FromResource(typeof(ActorSystem).Assembly, ReferenceResource);

    /// <summary>The system's name, part of every actor path.</summary>
    public string Name { get; }

    /// <summary>The full configuration, user settings over the reference.</summary>
    public Config Config { get; }

    /// <summary>Runtime settings bound from <see cref="Config"/>.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The publish/subscribe bus (dead letters, unhandled messages, application events).</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>The scheduler for delayed and periodic messages.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Undeliverable messages end here.</summary>
    public IActorRef DeadLetters => DeadLettersRef;

    /// <summary>The system's own logger.</summary>
    public ILoggingAdapter Log { get; }

    /// <summary>The dispatchers configured for this system.</summary>
    public Dispatchers Dispatchers { get; }

    /// <summary>The mailbox types configured for this system.</summary>
    public Mailboxes Mailboxes { get; }

    /// <summary>The coordinated shutdown of this system.</summary>
    public CoordinatedShutdown CoordinatedShutdown => _coordinatedShutdown.Value;

    /// <summary>Completes once every actor has stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal DeadLettersActorRef DeadLettersRef { get; }

    internal Deployer Deployer { get; }

    internal InternalActorRef RootGuardian => _root;

    internal LocalActorRef UserGuardian => _userGuardian;

    internal LocalActorRef SystemGuardian => _systemGuardian;

    internal bool IsTerminating => Volatile.Read(ref _terminateRequested) != 0;

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.Cell.ActorOf(props, name);

    /// <summary>Creates a top-level actor with a parameterless constructor (Akka.NET's <c>system.ActorOf&lt;TActor&gt;(name)</c>).</summary>
    public IActorRef ActorOf<TActor>(string? name = null)
        where TActor : ActorBase, new() => ActorOf(Props.Create<TActor>(), name);

    /// <summary>Creates an actor under <c>/system</c>, for infrastructure such as the TestKit's test actor.</summary>
    internal IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.Cell.ActorOf(props, name);

    /// <summary>Looks actors up by path (<c>/user/a/b</c>, wildcards allowed).</summary>
    public ActorSelection ActorSelection(string path) => Actor.ActorSelection.Create(this, _root, path);

    /// <summary>Stops <paramref name="actor"/> after the message it is handling.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local && !ReferenceEquals(local.Cell.System, this))
        {
            throw new ArgumentException($"{actor} belongs to another actor system.", nameof(actor));
        }

        actor.AsInternal().Stop();
    }

    /// <summary>
    /// Stops the system: runs coordinated shutdown (when <c>run-by-actor-system-terminate</c> is on),
    /// then stops every actor. Returns <see cref="WhenTerminated"/>; safe to call more than once.
    /// </summary>
    public Task Terminate()
    {
        if (CoordinatedShutdown.Settings.RunByActorSystemTerminate)
        {
            CoordinatedShutdown.Run(CoordinatedShutdown.ActorSystemTerminateReason.Instance)
                .ContinueWith(_ => FinalTerminate(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            FinalTerminate();
        }

        return WhenTerminated;
    }

    /// <summary>Terminates the system and waits for it.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <summary>Stops the actor tree without running coordinated shutdown (its last phase calls this).</summary>
    internal Task FinalTerminate()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0)
        {
            _userGuardian.Stop();
        }

        return WhenTerminated;
    }

    internal void OnRootTerminated()
    {
        Volatile.Write(ref _terminateRequested, 1);
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        (Scheduler as IDisposable)?.Dispose();
        Dispatchers.ShutdownAll();
        _terminated.TrySetResult();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The process is going away: give the phases their configured time, then let it go.
        CoordinatedShutdown.Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(CoordinatedShutdown.TotalTimeout);
    }

    /// <summary>A logger tagged with <paramref name="path"/> and <paramref name="source"/>.</summary>
    internal ILoggingAdapter LoggerFor(ActorPath path, Type source) =>
        new SerilogLoggingAdapter(
            _rootLogger.ForContext("ActorPath", path.ToString()).ForContext(Serilog.Core.Constants.SourceContextPropertyName, source.FullName),
            Settings.LogLevel);

    internal void PublishDeadLetterEvent(AllDeadLetters deadLetter)
    {
        if (deadLetter is DeadLetter { Message: IDeadLetterSuppression } suppressed)
        {
            EventStream.Publish(new SuppressedDeadLetter(suppressed.Message, suppressed.Sender, suppressed.Recipient));
            return;
        }

        EventStream.Publish(deadLetter);
        _deadLetterLogger.Log(deadLetter, IsTerminating);
    }

    internal static int NewUid()
    {
        int uid;
        do
        {
            uid = Random.Shared.Next();
        }
        while (uid == 0);

        return uid;
    }

    internal ActorPath NewTempPath() => ActorPath.Root(Name).Child("temp").Child("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Builds an unstarted actor (or pool router) at <paramref name="path"/>.</summary>
    internal LocalActorRef CreateActor(Props props, InternalActorRef parent, ActorPath path)
    {
        props = Deployer.Apply(props, path);
        if (props.RouterConfig is Pool pool)
        {
            return CreatePool(pool, props, parent, path);
        }

        return NewCell(props, path, parent).Self;
    }

    private ActorCell NewCell(Props props, ActorPath path, InternalActorRef parent)
    {
        var dispatcher = Dispatchers.Lookup(props.Dispatcher);
        var mailbox = new Mailbox(Mailboxes.CreateQueue(props.Mailbox), dispatcher);
        var cell = new ActorCell(this, path, props, dispatcher, mailbox, parent);
        cell.Self = new LocalActorRef(cell);
        return cell;
    }

    // The router head runs on the default dispatcher; the routees get the props' dispatcher and
    // mailbox. Routees are created here, before the reference is returned, so that nothing sent
    // right after ActorOf is lost.
    private RoutedActorRef CreatePool(Pool pool, Props props, InternalActorRef parent, ActorPath path)
    {
        var routeeProps = props.WithRouter(NoRouter.Instance);
        var routerProps = Props.Create(() => new RouterActor(pool, routeeProps)).WithSupervisorStrategy(pool.SupervisorStrategy);
        var dispatcher = Dispatchers.Lookup(Dispatchers.DefaultDispatcherId);
        var mailbox = new Mailbox(Mailboxes.CreateQueue(Mailboxes.DefaultMailboxId), dispatcher);
        var cell = new ActorCell(this, path, routerProps, dispatcher, mailbox, parent);
        var router = new RoutedActorRef(cell, pool.CreateRoutingLogic(this));
        cell.Self = router;
        var routees = new Routee[pool.NrOfInstances];
        for (var i = 0; i < routees.Length; i++)
        {
            routees[i] = new ActorRefRoutee(cell.ActorOf(routeeProps));
        }

        router.Routees = routees;
        return router;
    }

    /// <inheritdoc />
    public override string ToString() => $"{ActorPath.Scheme}://{Name}";
}
