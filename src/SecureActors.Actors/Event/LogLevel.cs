namespace SecureActors.Actors.Event;

/// <summary>Severity of an actor log event, as named in <c>actors.loglevel</c>.</summary>
public enum LogLevel
{
    /// <summary>Detail for developers (<c>DEBUG</c>).</summary>
    Debug,

    /// <summary>Normal operation (<c>INFO</c>).</summary>
    Info,

    /// <summary>Something unexpected that the system survived (<c>WARNING</c>).</summary>
    Warning,

    /// <summary>A failure (<c>ERROR</c>).</summary>
    Error,

    /// <summary>Nothing is logged (<c>OFF</c>).</summary>
    Off,
}
