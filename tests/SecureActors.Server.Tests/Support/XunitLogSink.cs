using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Support;

/// <summary>Writes server log events to the xunit output (in the console style) and keeps them for assertions.</summary>
internal sealed class XunitLogSink(ITestOutputHelper? output) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(SecureActors.Server.Hosting.ConsoleLog.OutputTemplate, System.Globalization.CultureInfo.InvariantCulture);

    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public static (Logger Logger, XunitLogSink Sink) Create(ITestOutputHelper? output)
    {
        var sink = new XunitLogSink(output);
        var logger = SecureActors.Server.Hosting.ConsoleLog.Configure(new LoggerConfiguration().MinimumLevel.Debug()).WriteTo.Sink(sink).CreateLogger();
        return (logger, sink);
    }

    public IEnumerable<string> Messages => Events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));

    public void Emit(LogEvent logEvent)
    {
        Events.Enqueue(logEvent);
        if (output is null)
        {
            return;
        }

        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        try
        {
            output.WriteLine(writer.ToString().TrimEnd());
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late events (shutdown) have nowhere to go.
        }
    }
}
