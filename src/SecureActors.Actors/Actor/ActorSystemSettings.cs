using SecureActors.Actors.Event;
using SecureActors.Hocon;

namespace SecureActors.Actors.Actor;

/// <summary>The runtime-wide settings under <c>actors</c>, bound from configuration (defaults in reference.conf).</summary>
public sealed record ActorSystemSettings(
    LogLevel LogLevel,
    int LogDeadLetters,
    bool LogDeadLettersDuringShutdown,
    TimeSpan LogDeadLettersSuspendDuration,
    TimeSpan AskTimeout)
{
    /// <summary>Reads the settings from a full configuration (the one with the <c>actors</c> root).</summary>
    public static ActorSystemSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ActorSystemSettings(
            LogLevelFrom(config),
            ParseDeadLetterLimit(config.GetString("actors.log-dead-letters")),
            config.GetBoolean("actors.log-dead-letters-during-shutdown"),
            config.GetTimeSpan("actors.log-dead-letters-suspend-duration"),
            config.GetTimeSpan("actors.actor.ask-timeout", allowInfinite: true));
    }

    private static LogLevel LogLevelFrom(Config config)
    {
        try
        {
            return SerilogLoggingAdapter.Parse(config.GetString("actors.loglevel"));
        }
        catch (ArgumentException)
        {
            throw new SettingsSection(config.GetConfig("actors"), "actors").Invalid("loglevel", "is not a log level (use DEBUG, INFO, WARNING, ERROR or OFF)");
        }
    }

    // Akka accepts a count or on/off here: on means no limit (-1), off means never (0).
    private static int ParseDeadLetterLimit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => -1,
        "off" or "false" or "no" => 0,
        var number => int.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
    };
}
