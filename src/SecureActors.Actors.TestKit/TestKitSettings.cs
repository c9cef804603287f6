using SecureActors.Hocon;

namespace SecureActors.Actors.TestKit;

/// <summary>The settings under <c>actors.test</c> (defaults in the TestKit's reference.conf).</summary>
public sealed record TestKitSettings(
    double TimeFactor,
    TimeSpan SingleExpectDefault,
    TimeSpan ExpectNoMessageDefault,
    TimeSpan FilterLeeway,
    TimeSpan DefaultTimeout)
{
    /// <summary>Reads the settings from a full configuration.</summary>
    public static TestKitSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var factor = config.GetDouble("actors.test.timefactor");
        if (factor <= 0)
        {
            throw new ConfigException($"actors.test.timefactor must be positive (got {factor}).");
        }

        return new TestKitSettings(
            factor,
            config.GetTimeSpan("actors.test.single-expect-default"),
            config.GetTimeSpan("actors.test.expect-no-message-default"),
            config.GetTimeSpan("actors.test.filter-leeway"),
            config.GetTimeSpan("actors.test.default-timeout"));
    }

    /// <summary>Scales <paramref name="duration"/> by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => duration == Timeout.InfiniteTimeSpan ? duration : duration * TimeFactor;
}
