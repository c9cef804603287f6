namespace SecureActors.Actors.Event;

/// <summary>
/// An actor's logger: Serilog message templates (<c>"session {SessionId} closed"</c>) with the
/// actor path attached as the <c>ActorPath</c> property. Events below <c>actors.loglevel</c> are
/// discarded before any formatting.
/// </summary>
public interface ILoggingAdapter
{
    /// <summary>True when events of <paramref name="level"/> are written.</summary>
    bool IsEnabled(LogLevel level);

    /// <summary>Writes an event with an optional exception.</summary>
    void Log(LogLevel level, Exception? exception, string template, params object?[] args);

    /// <summary>Returns a logger that adds <paramref name="propertyName"/> to every event.</summary>
    ILoggingAdapter ForContext(string propertyName, object? value);

    /// <summary>
    /// Returns a logger that adds every one of <paramref name="properties"/> to every event: one
    /// wrapper for all of them, where chained <see cref="ForContext(string, object?)"/> calls keep
    /// one each (it matters in an actor that thousands of instances hold, such as a session).
    /// </summary>
    ILoggingAdapter ForContext(IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var logger = this;
        foreach (var (name, value) in properties)
        {
            logger = logger.ForContext(name, value);
        }

        return logger;
    }

    /// <summary>Writes a Debug event.</summary>
    void Debug(string template, params object?[] args) => Log(LogLevel.Debug, null, template, args);

    /// <summary>Writes an Info event.</summary>
    void Info(string template, params object?[] args) => Log(LogLevel.Info, null, template, args);

    /// <summary>Writes a Warning event.</summary>
    void Warning(string template, params object?[] args) => Log(LogLevel.Warning, null, template, args);

    /// <summary>Writes a Warning event with an exception.</summary>
    void Warning(Exception? exception, string template, params object?[] args) => Log(LogLevel.Warning, exception, template, args);

    /// <summary>Writes an Error event.</summary>
    void Error(string template, params object?[] args) => Log(LogLevel.Error, null, template, args);

    /// <summary>Writes an Error event with an exception.</summary>
    void Error(Exception? exception, string template, params object?[] args) => Log(LogLevel.Error, exception, template, args);
}
