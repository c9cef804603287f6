using System.Diagnostics;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Serilog.Events;
using Xunit.Sdk;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// Builds filters for log events and dead letters. A filter intercepts matching events while it is
/// active (they are counted and kept out of the test output): <c>ExpectOneAsync</c> and
/// <c>ExpectAsync</c> run code and assert how many matched; <c>Mute</c> just hides them.
/// </summary>
public sealed class EventFilterFactory
{
    private readonly TestKitBase _kit;
    private readonly TestLogSink _sink;

    internal EventFilterFactory(TestKitBase kit, TestLogSink sink)
    {
        _kit = kit;
        _sink = sink;
    }

    /// <summary>
    /// Error events carrying an exception of type <typeparamref name="TException"/> (or a subtype).
    /// As Akka.TestKit's ErrorFilter, warnings are never matched, even with an exception attached
    /// (a resumed child is logged so).
    /// </summary>
    public EventFilterApplier Exception<TException>(string? message = null, string? contains = null, string? source = null)
        where TException : Exception =>
        Log(e => e.Level >= LogEventLevel.Error && e.Exception is TException, message, contains, source, $"exception {typeof(TException).Name}");

    /// <summary>Error events.</summary>
    public EventFilterApplier Error(string? message = null, string? contains = null, string? source = null) =>
        Log(e => e.Level >= LogEventLevel.Error, message, contains, source, "error");

    /// <summary>Warning events.</summary>
    public EventFilterApplier Warning(string? message = null, string? contains = null, string? source = null) =>
        Log(e => e.Level == LogEventLevel.Warning, message, contains, source, "warning");

    /// <summary>Info events.</summary>
    public EventFilterApplier Info(string? message = null, string? contains = null, string? source = null) =>
        Log(e => e.Level == LogEventLevel.Information, message, contains, source, "info");

    /// <summary>Debug events (visible only with <c>actors.loglevel = DEBUG</c>).</summary>
    public EventFilterApplier Debug(string? message = null, string? contains = null, string? source = null) =>
        Log(e => e.Level == LogEventLevel.Debug, message, contains, source, "debug");

    /// <summary>Dead letters (and unhandled or dropped messages) whose message is a <typeparamref name="T"/> matching <paramref name="isMatch"/>.</summary>
    public EventFilterApplier DeadLetter<T>(Predicate<T>? isMatch = null) =>
        new(_kit, _sink, new EventFilterApplier.Matcher(null, d => d.Message is T t && (isMatch is null || isMatch(t))), $"dead letter {typeof(T).Name}");

    private EventFilterApplier Log(Predicate<LogEvent> kind, string? message, string? contains, string? source, string description)
    {
        bool Matches(LogEvent e)
        {
            if (!kind(e))
            {
                return false;
            }

            var text = e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
            var exceptionText = e.Exception?.Message;
            if (message is not null && text != message && exceptionText != message)
            {
                return false;
            }

            if (contains is not null && !text.Contains(contains, StringComparison.Ordinal) && exceptionText?.Contains(contains, StringComparison.Ordinal) != true)
            {
                return false;
            }

            return source is null
                || (e.Properties.TryGetValue("ActorPath", out var path) && path.ToString().Trim('"').Contains(source, StringComparison.Ordinal));
        }

        return new EventFilterApplier(_kit, _sink, new EventFilterApplier.Matcher(Matches, null), description);
    }
}

/// <summary>A filter ready to be applied around some code.</summary>
public sealed class EventFilterApplier
{
    private readonly TestKitBase _kit;
    private readonly TestLogSink _sink;
    private readonly Matcher _matcher;
    private readonly string _description;

    internal EventFilterApplier(TestKitBase kit, TestLogSink sink, Matcher matcher, string description)
    {
        _kit = kit;
        _sink = sink;
        _matcher = matcher;
        _description = description;
    }

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event (waiting up to the filter leeway).</summary>
    public Task ExpectOneAsync(Func<Task> action, TimeSpan? timeout = null) => ExpectAsync(1, action, timeout);

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event.</summary>
    public Task ExpectOneAsync(Action action, TimeSpan? timeout = null) => ExpectAsync(1, action, timeout);

    /// <summary>Runs <paramref name="action"/> and expects exactly <paramref name="expected"/> matching events.</summary>
    public Task ExpectAsync(int expected, Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ExpectAsync(expected, () =>
        {
            action();
            return Task.CompletedTask;
        }, timeout);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and waits until <paramref name="expected"/> matching events were
    /// seen, up to <paramref name="timeout"/> (default: <c>filter-leeway</c>, dilated); fails on fewer or more.
    /// </summary>
    public async Task ExpectAsync(int expected, Func<Task> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var active = Activate();
        await action().ConfigureAwait(false);
        var limit = _kit.Dilated(timeout ?? _kit.TestKitSettings.FilterLeeway);
        if (!await active.WaitForAsync(expected, limit).ConfigureAwait(false))
        {
            throw new XunitException($"Expected {expected} {_description} event(s) but saw {active.Count} within {limit.TotalMilliseconds:0} ms");
        }

        if (active.Count != expected)
        {
            throw new XunitException($"Expected {expected} {_description} event(s) but saw {active.Count}");
        }
    }

    /// <summary>Hides matching events until the returned handle is disposed.</summary>
    public IDisposable Mute() => Activate();

    private Active Activate()
    {
        var active = new Active(_matcher, _sink, _kit.Sys);
        _sink.Add(active);
        return active;
    }

    internal sealed record Matcher(Predicate<LogEvent>? Log, Predicate<AllDeadLetters>? DeadLetter);

    /// <summary>A filter in force: counts what it matched.</summary>
    internal sealed class Active : IDisposable
    {
        private readonly Matcher _matcher;
        private readonly TestLogSink _sink;
        private readonly ActorSystem _system;
        private readonly DeadLetterTap? _tap;
        private int _count;

        public Active(Matcher matcher, TestLogSink sink, ActorSystem system)
        {
            _matcher = matcher;
            _sink = sink;
            _system = system;
            if (matcher.DeadLetter is not null)
            {
                _tap = new DeadLetterTap(this, system);
                system.EventStream.Subscribe(_tap, typeof(AllDeadLetters));
            }
        }

        public int Count => Volatile.Read(ref _count);

        public bool TryMatch(LogEvent logEvent)
        {
            if (_matcher.Log is not { } match || !match(logEvent))
            {
                return false;
            }

            Interlocked.Increment(ref _count);
            return true;
        }

        public bool TryMatch(AllDeadLetters deadLetter)
        {
            if (_matcher.DeadLetter is not { } match || !match(deadLetter))
            {
                return false;
            }

            Interlocked.Increment(ref _count);
            return true;
        }

        public async Task<bool> WaitForAsync(int expected, TimeSpan limit)
        {
            var start = Stopwatch.GetTimestamp();
            while (Count < expected)
            {
                if (Stopwatch.GetElapsedTime(start) >= limit)
                {
                    return false;
                }

                // Polling a counter fed from other threads; the interval bounds the added latency.
                await Task.Delay(10).ConfigureAwait(false);
            }

            return true;
        }

        public void Dispose()
        {
            _sink.Remove(this);
            if (_tap is not null)
            {
                _system.EventStream.Unsubscribe(_tap);
            }
        }
    }

    // Receives dead letters from the event stream on the publishing thread and hands them to the filter.
    private sealed class DeadLetterTap(Active filter, ActorSystem system) : InternalActorRef, IHasSystem
    {
        public override ActorPath Path { get; } = ActorPath.Root(system.Name).Child("system").Child("eventFilter");

        public ActorSystem System => system;

        public override void Tell(object message, IActorRef? sender)
        {
            if (message is AllDeadLetters deadLetter)
            {
                filter.TryMatch(deadLetter);
            }
        }

        public override void SendSystemMessage(Dispatch.SystemMessage message)
        {
        }
    }
}
