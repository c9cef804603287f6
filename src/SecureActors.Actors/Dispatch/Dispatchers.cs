using System.Collections.Concurrent;
using SecureActors.Hocon;

namespace SecureActors.Actors.Dispatch;

/// <summary>
/// The dispatchers of a system, each built once from the config section its id names. Missing keys
/// come from <c>default-fork-join-dispatcher</c> (for that type) and <c>default-dispatcher</c>.
/// </summary>
public sealed class Dispatchers
{
    /// <summary>The dispatcher actors get by default (.NET thread pool).</summary>
    public const string DefaultDispatcherId = "actors.actor.default-dispatcher";

    /// <summary>The ready-made dedicated-thread dispatcher.</summary>
    public const string DefaultForkJoinDispatcherId = "actors.actor.default-fork-join-dispatcher";

    /// <summary>The dispatcher that runs actors on the sending thread.</summary>
    public const string CallingThreadDispatcherId = "actors.actor.calling-thread-dispatcher";

    internal const string ForkJoinDispatcherType = "ForkJoinDispatcher";

    private readonly Config _config;
    private readonly ConcurrentDictionary<string, Lazy<MessageDispatcher>> _dispatchers = new(StringComparer.Ordinal);

    internal Dispatchers(Config config) => _config = config;

    /// <summary>True when <paramref name="id"/> names a dispatcher section.</summary>
    public bool HasDispatcher(string id) => _config.HasPath(id) && _config.HasPath(id + ".type");

    /// <summary>
    /// Reads and creates the dispatcher at <paramref name="id"/> now, as the first actor to use it would.
    /// A program calls this at startup so that a mistake in the section is a startup error naming the
    /// setting, not a failure inside the first actor that needs the dispatcher.
    /// </summary>
    /// <exception cref="ConfigException">The section is missing or holds an invalid value.</exception>
    public void Validate(string id) => _ = Lookup(id);

    internal MessageDispatcher Lookup(string id) =>
        _dispatchers.GetOrAdd(id, key => new Lazy<MessageDispatcher>(() => Create(key))).Value;

    private MessageDispatcher Create(string id)
    {
        if (!_config.HasPath(id))
        {
            throw new ConfigException($"Dispatcher [{id}] is not configured (no section at that path).");
        }

        var section = _config.GetConfig(id);
        if (section.HasPath("type") && section.GetString("type") == ForkJoinDispatcherType)
        {
            section = section.WithFallback(_config.GetConfig(DefaultForkJoinDispatcherId));
        }

        var settings = DispatcherSettings.FromConfig(section.WithFallback(_config.GetConfig(DefaultDispatcherId)), id);
        return settings.Type switch
        {
            "Dispatcher" => new ThreadPoolDispatcher(id, settings.Throughput),
            ForkJoinDispatcherType => new DedicatedThreadPoolDispatcher(id, settings.Throughput, settings.ThreadCount, settings.BackgroundThreads),
            "CallingThreadDispatcher" => new CallingThreadDispatcher(id),
            var other => throw new ConfigException($"Dispatcher [{id}] has unknown type '{other}' (use Dispatcher, ForkJoinDispatcher or CallingThreadDispatcher)."),
        };
    }

    internal void ShutdownAll()
    {
        foreach (var dispatcher in _dispatchers.Values)
        {
            if (dispatcher.IsValueCreated)
            {
                dispatcher.Value.Shutdown();
            }
        }
    }
}
