using SecureActors.Hocon;

namespace SecureActors.Actors.Dispatch;

/// <summary>One dispatcher section (<c>type</c>, <c>throughput</c>, <c>dedicated-thread-pool</c>).</summary>
internal sealed record DispatcherSettings(string Type, int Throughput, int ThreadCount, bool BackgroundThreads)
{
    /// <summary>Binds a dispatcher section already layered over its defaults.</summary>
    public static DispatcherSettings FromConfig(Config section)
    {
        var type = section.GetString("type");
        var dedicated = type == Dispatchers.ForkJoinDispatcherType;
        var threadCount = dedicated ? section.GetInt("dedicated-thread-pool.thread-count") : 0;
        var background = !dedicated || section.GetString("dedicated-thread-pool.threadtype") != "foreground";
        var throughput = section.GetInt("throughput");
        if (throughput < 1 || (dedicated && threadCount < 1))
        {
            throw new ConfigException($"Dispatcher throughput and thread-count must be at least 1 (got {throughput}, {threadCount}).");
        }

        return new DispatcherSettings(type, throughput, threadCount, background);
    }
}
