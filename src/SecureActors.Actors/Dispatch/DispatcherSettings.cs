using SecureActors.Hocon;

namespace SecureActors.Actors.Dispatch;

/// <summary>One dispatcher section (<c>type</c>, <c>throughput</c>, <c>dedicated-thread-pool</c>).</summary>
internal sealed record DispatcherSettings(string Type, int Throughput, int ThreadCount, bool BackgroundThreads)
{
    /// <summary>Binds a dispatcher section already layered over its defaults; <paramref name="id"/> is its path, for errors.</summary>
    public static DispatcherSettings FromConfig(Config section, string id)
    {
        var settings = new SettingsSection(section, id);
        var type = settings.String("type");
        var dedicated = type == Dispatchers.ForkJoinDispatcherType;
        var threadCount = dedicated ? settings.Section("dedicated-thread-pool").Int("thread-count", 1) : 0;
        var background = !dedicated || section.GetString("dedicated-thread-pool.threadtype") != "foreground";
        return new DispatcherSettings(type, settings.Int("throughput", 1), threadCount, background);
    }
}
