using SecureActors.Hocon;

namespace SecureActors.Actors.Actor;

/*
 * Phases form a dependency graph (depends-on); they are run in a topological order that keeps the
 * configured order among independent phases. Tasks of a phase run concurrently; the next phase
 * starts when they have all finished or the phase timeout passed. A failure or timeout is logged,
 * and, unless the phase says recover = off, shutdown carries on, so that it always completes.
 */

/// <summary>Ordered, timed shutdown in phases; the last phase terminates the actor system.</summary>
public sealed class CoordinatedShutdown
{
    /// <summary>Runs first.</summary>
    public const string PhaseBeforeServiceUnbind = "before-service-unbind";

    /// <summary>Stop accepting new work (unbind listeners).</summary>
    public const string PhaseServiceUnbind = "service-unbind";

    /// <summary>Let work in flight finish.</summary>
    public const string PhaseServiceRequestsDone = "service-requests-done";

    /// <summary>Stop services.</summary>
    public const string PhaseServiceStop = "service-stop";

    /// <summary>Last chance before actors are stopped.</summary>
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";

    /// <summary>Stops every actor and the system.</summary>
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    private readonly ActorSystem _system;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(string Name, Func<Task> Task)>> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CoordinatedShutdownSettings.Phase> _phases;
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system)
    {
        _system = system;
        Settings = CoordinatedShutdownSettings.FromConfig(system.Config);
        _phases = Settings.Phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
        OrderedPhases = TopologicalOrder(Settings.Phases);
    }

    /// <summary>The coordinated shutdown of <paramref name="system"/>.</summary>
    public static CoordinatedShutdown Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.CoordinatedShutdown;
    }

    /// <summary>The settings in force.</summary>
    public CoordinatedShutdownSettings Settings { get; }

    /// <summary>Phase names in the order they run.</summary>
    public IReadOnlyList<string> OrderedPhases { get; }

    /// <summary>Why shutdown was started; null until it is.</summary>
    public Reason? ShutdownReason { get; private set; }

    /// <summary>The sum of all phase timeouts: the longest shutdown can take.</summary>
    public TimeSpan TotalTimeout => TimeSpan.FromTicks(Settings.Phases.Sum(p => p.Timeout.Ticks));

    /// <summary>The timeout of <paramref name="phase"/>.</summary>
    public TimeSpan Timeout(string phase) => Phase(phase).Timeout;

    /// <summary>Adds a task to <paramref name="phase"/>; its <paramref name="taskName"/> appears in logs.</summary>
    public void AddTask(string phase, string taskName, Func<Task> task)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskName);
        ArgumentNullException.ThrowIfNull(task);
        _ = Phase(phase);
        lock (_lock)
        {
            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }

            list.Add((taskName, task));
        }
    }

    /// <summary>Starts shutdown (once; later calls return the same task) and completes when every phase has run.</summary>
    public Task Run(Reason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_lock)
        {
            if (_run is null)
            {
                ShutdownReason = reason;
                _run = Task.Run(RunPhasesAsync);
            }

            return _run;
        }
    }

    private async Task RunPhasesAsync()
    {
        _system.Log.Info("Running coordinated shutdown with reason [{Reason}]", ShutdownReason);
        foreach (var name in OrderedPhases)
        {
            var phase = _phases[name];
            List<(string Name, Func<Task> Task)> tasks;
            lock (_lock)
            {
                tasks = _tasks.TryGetValue(name, out var list) ? [.. list] : [];
            }

            if (name == PhaseActorSystemTerminate && Settings.TerminateActorSystem)
            {
                tasks.Add(("terminate-system", () => _system.FinalTerminate()));
            }

            if (tasks.Count == 0)
            {
                continue;
            }

            var all = Task.WhenAll(tasks.Select(t => RunTask(name, t.Name, t.Task)));
            var finished = await Task.WhenAny(all, Task.Delay(phase.Timeout)).ConfigureAwait(false) == all;
            var failed = !finished || all.IsFaulted;
            if (!finished)
            {
                _system.Log.Warning("Coordinated shutdown phase [{Phase}] timed out after {Timeout}", name, phase.Timeout);
            }

            if (failed && !phase.Recover)
            {
                _system.Log.Error("Coordinated shutdown phase [{Phase}] failed and does not recover; remaining phases skipped", name);
                return;
            }
        }
    }

    private async Task RunTask(string phase, string name, Func<Task> task)
    {
        try
        {
            await task().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _system.Log.Warning(ex, "Coordinated shutdown task [{Task}] in phase [{Phase}] failed: {Reason}", name, phase, ex.Message);
            throw;
        }
    }

    private CoordinatedShutdownSettings.Phase Phase(string name) =>
        _phases.TryGetValue(name, out var phase) ? phase : throw new ArgumentException($"Unknown coordinated shutdown phase [{name}].", nameof(name));

    internal static IReadOnlyList<string> TopologicalOrder(IReadOnlyList<CoordinatedShutdownSettings.Phase> phases)
    {
        var byName = phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new List<string>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new ConfigException($"Cycle in coordinated-shutdown phases at [{name}].");
                }

                return;
            }

            if (!byName.TryGetValue(name, out var phase))
            {
                throw new ConfigException($"Coordinated-shutdown phase depends on unknown phase [{name}].");
            }

            state[name] = false;
            foreach (var dependency in phase.DependsOn)
            {
                Visit(dependency);
            }

            state[name] = true;
            result.Add(name);
        }

        foreach (var phase in phases)
        {
            Visit(phase.Name);
        }

        return result;
    }

    /// <summary>Why coordinated shutdown runs.</summary>
    public class Reason
    {
        /// <summary>Creates a reason.</summary>
        protected Reason()
        {
        }

        /// <inheritdoc />
        public override string ToString() => GetType().Name;
    }

    /// <summary>No particular reason was given.</summary>
    public sealed class UnknownReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly UnknownReason Instance = new();

        private UnknownReason()
        {
        }
    }

    /// <summary>ActorSystem.Terminate() was called.</summary>
    public sealed class ActorSystemTerminateReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly ActorSystemTerminateReason Instance = new();

        private ActorSystemTerminateReason()
        {
        }
    }

    /// <summary>The process is exiting (Ctrl-C, SIGTERM, the host stopping).</summary>
    public sealed class ClrExitReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly ClrExitReason Instance = new();

        private ClrExitReason()
        {
        }
    }
}
