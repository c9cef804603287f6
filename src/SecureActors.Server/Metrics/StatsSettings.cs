using SecureActors.Hocon;

namespace SecureActors.Server.Metrics;

/// <summary><c>server.stats</c>: the periodic console summary.</summary>
internal sealed record StatsSettings(bool Enabled, TimeSpan Interval)
{
    public static StatsSettings FromConfig(SettingsSection stats) => new(stats.Boolean("enabled"), stats.Duration("interval"));
}
