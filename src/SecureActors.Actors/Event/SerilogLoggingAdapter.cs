using Serilog.Events;

namespace SecureActors.Actors.Event;

/// <summary>Writes actor log events to a Serilog logger, gated by the configured minimum level.</summary>
internal sealed class SerilogLoggingAdapter(Serilog.ILogger logger, LogLevel minimumLevel) : ILoggingAdapter
{
    public bool IsEnabled(LogLevel level) => level != LogLevel.Off && level >= minimumLevel;

    public void Log(LogLevel level, Exception? exception, string template, params object?[] args)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        logger.Write(ToSerilog(level), exception, template, args);
    }

    public ILoggingAdapter ForContext(string propertyName, object? value) =>
        new SerilogLoggingAdapter(logger.ForContext(propertyName, value, destructureObjects: false), minimumLevel);

    public ILoggingAdapter ForContext(IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var enrichers = new Serilog.Core.ILogEventEnricher[properties.Count];
        for (var i = 0; i < enrichers.Length; i++)
        {
            enrichers[i] = new Serilog.Core.Enrichers.PropertyEnricher(properties[i].Key, properties[i].Value);
        }

        return new SerilogLoggingAdapter(logger.ForContext(enrichers), minimumLevel);
    }

    private static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Info => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };

    public static LogLevel Parse(string text) => text.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Info,
        "WARNING" or "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "OFF" => LogLevel.Off,
        _ => throw new ArgumentException($"Unknown log level '{text}' (use DEBUG, INFO, WARNING, ERROR or OFF)."),
    };
}
