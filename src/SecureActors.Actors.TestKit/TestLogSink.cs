using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// Where a test system's log events go: each is offered to the active event filters (a match is
/// counted and swallowed), and the rest are written to the xunit output of the test.
/// </summary>
internal sealed class TestLogSink(ITestOutputHelper? output) : ILogEventSink
{
    private readonly Lock _lock = new();
    private EventFilterApplier.Active[] _filters = [];

    public void Add(EventFilterApplier.Active filter)
    {
        lock (_lock)
        {
            _filters = [.. _filters, filter];
        }
    }

    public void Remove(EventFilterApplier.Active filter)
    {
        lock (_lock)
        {
            _filters = [.. _filters.Where(f => !ReferenceEquals(f, filter))];
        }
    }

    public void Emit(LogEvent logEvent)
    {
        foreach (var filter in Volatile.Read(ref _filters))
        {
            if (filter.TryMatch(logEvent))
            {
                return;
            }
        }

        Write(logEvent);
    }

    private void Write(LogEvent logEvent)
    {
        if (output is null)
        {
            return;
        }

        var path = logEvent.Properties.TryGetValue("ActorPath", out var value) ? value.ToString().Trim('"') : "";
        var line = string.Create(CultureInfo.InvariantCulture, $"[{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level}] [{path}] {logEvent.RenderMessage(CultureInfo.InvariantCulture)}");
        if (logEvent.Exception is not null)
        {
            line += Environment.NewLine + logEvent.Exception;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; xunit no longer accepts output for it.
        }
    }
}
