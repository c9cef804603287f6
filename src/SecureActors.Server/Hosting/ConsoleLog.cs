using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace SecureActors.Server.Hosting;

/// <summary>
/// The seed projects' console style through Serilog: every line starts with a marker — <c>[*]</c>
/// information, <c>[+]</c> success (events carrying <c>Marker = "[+]"</c>), <c>[!]</c> warnings and
/// errors. Structured properties (SessionId, Remote, Fingerprint, Suite) stay on the events for
/// sinks that keep them.
/// </summary>
public static class ConsoleLog
{
    /// <summary>The console output template.</summary>
    public const string OutputTemplate = "{Marker} {Message:lj}{NewLine}{Exception}";

    /// <summary>A console (stdout) logger at <paramref name="minimumLevel"/>.</summary>
    public static Logger Create(LogEventLevel minimumLevel = LogEventLevel.Information) =>
        Configure(new LoggerConfiguration().MinimumLevel.Is(minimumLevel))
            .WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    /// <summary>Adds the marker enricher to a configuration (for callers that choose their own sinks).</summary>
    public static LoggerConfiguration Configure(LoggerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Enrich.With<MarkerEnricher>();
    }

    private sealed class MarkerEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            var marker = logEvent.Level switch
            {
                >= LogEventLevel.Warning => "[!]",
                LogEventLevel.Information => "[*]",
                _ => "[.]",
            };
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Marker", marker));
        }
    }
}
