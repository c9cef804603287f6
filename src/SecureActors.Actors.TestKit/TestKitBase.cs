using System.Diagnostics;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Dispatch;
using Xunit.Sdk;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// The assertions of the TestKit, over the queue of one test actor: the test's own
/// (<see cref="TestKit"/>) or a probe's (<see cref="TestProbe"/>). Every wait is async; every
/// default timeout is dilated by <c>actors.test.timefactor</c>, and inside <see cref="WithinAsync(TimeSpan, Func{Task})"/>
/// defaults shrink to the time that is left.
/// </summary>
public abstract class TestKitBase
{
    private static int _probeCounter;
    private readonly ProbeActorRef _testActor;
    private TimeSpan? _deadline;
    private Envelope _last;

    // Whether the last wait was ExpectNoMsg, which uses up the time it is given: a Within block
    // ending with one would otherwise overrun its maximum by the timer's latency.
    private bool _lastWasNoMsg;

    private protected TestKitBase(ActorSystem system, TestKitSettings settings, TestLogSink sink, string actorName)
    {
        Sys = system;
        TestKitSettings = settings;
        Sink = sink;
        var path = ActorPath.Root(system.Name).Child("system").Child($"{actorName}{Interlocked.Increment(ref _probeCounter)}");
        _testActor = new ProbeActorRef(system, path);
        EventFilter = new EventFilterFactory(this, sink);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>Timeouts and the time factor.</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>The actor whose queue the Expect methods read; the implicit sender of a test.</summary>
    public IActorRef TestActor => _testActor;

    /// <summary>The sender of the last message received.</summary>
    public IActorRef LastSender => _last.Sender ?? Sys.DeadLetters;

    /// <summary>Intercepts log events and dead letters, to assert on them.</summary>
    public EventFilterFactory EventFilter { get; }

    internal TestLogSink Sink { get; }

    private static TimeSpan Now => TimeSpan.FromTicks(Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>Scales <paramref name="duration"/> by <c>actors.test.timefactor</c>.</summary>
    public TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    /// <summary>Time left in the enclosing <c>Within</c>; throws outside one.</summary>
    public TimeSpan Remaining => _deadline is { } end ? Max(end - Now, TimeSpan.Zero) : throw new InvalidOperationException("Remaining is only defined inside Within.");

    /// <summary>Time left in the enclosing <c>Within</c>, else the dilated single-expect default.</summary>
    public TimeSpan RemainingOrDefault => _deadline is { } end ? Max(end - Now, TimeSpan.Zero) : Dilated(TestKitSettings.SingleExpectDefault);

    private TimeSpan RemainingOrDilated(TimeSpan? duration) => duration is { } d ? Dilated(d) : RemainingOrDefault;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Creates a probe: another test actor with its own queue and the same assertions.</summary>
    public TestProbe CreateTestProbe(string name = "testProbe") => new(Sys, TestKitSettings, Sink, name);

    /// <summary>Creates an actor under <c>/user</c> (shorthand for <c>Sys.ActorOf</c>).</summary>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Creates an actor with a parameterless constructor under <c>/user</c> (Akka.NET's <c>ActorOf&lt;TActor&gt;(name)</c>).</summary>
    public IActorRef ActorOf<TActor>(string? name = null)
        where TActor : ActorBase, new() => Sys.ActorOf(Props.Create<TActor>(), name);

    /// <summary>Like <see cref="ActorOfAsTestActorRef{T}(Func{T}, string?)"/> for an actor with a parameterless constructor (Akka.NET's <c>ActorOfAsTestActorRef&lt;TActor&gt;()</c>).</summary>
    public TestActorRef<T> ActorOfAsTestActorRef<T>(string? name = null)
        where T : ActorBase, new() => ActorOfAsTestActorRef(() => new T(), name);

    /// <summary>
    /// Creates an actor on the calling-thread dispatcher: each Tell is handled before it returns,
    /// and <see cref="TestActorRef{T}.UnderlyingActor"/> gives the instance for direct inspection.
    /// </summary>
    public TestActorRef<T> ActorOfAsTestActorRef<T>(Func<T> factory, string? name = null)
        where T : ActorBase =>
        new(Sys.ActorOf(Props.Create(factory).WithDispatcher(Dispatchers.CallingThreadDispatcherId), name));

    /// <summary>Watches <paramref name="actor"/> from the test actor: its death arrives as <see cref="Terminated"/>.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        _testActor.Watch(actor);
        return actor;
    }

    /// <summary>Stops watching <paramref name="actor"/>.</summary>
    public IActorRef Unwatch(IActorRef actor)
    {
        _testActor.Unwatch(actor);
        return actor;
    }

    /// <summary>True when messages are waiting in the test actor's queue.</summary>
    public bool HasMessages => _testActor.Reader.Count > 0;

    /// <summary>
    /// Makes the test actor drop every message <paramref name="shouldIgnore"/> accepts from now on,
    /// as they arrive (messages already queued stay); replaces any earlier filter.
    /// </summary>
    public void IgnoreMessages(Func<object, bool> shouldIgnore)
    {
        ArgumentNullException.ThrowIfNull(shouldIgnore);
        _testActor.SetIgnore(shouldIgnore);
    }

    /// <summary>Makes the test actor drop every later message of type <typeparamref name="T"/> that <paramref name="shouldIgnore"/> accepts (all of them when it is null).</summary>
    public void IgnoreMessages<T>(Func<T, bool>? shouldIgnore = null) =>
        IgnoreMessages(m => m is T typed && (shouldIgnore is null || shouldIgnore(typed)));

    /// <summary>Stops ignoring messages.</summary>
    public void IgnoreNoMessages() => _testActor.SetIgnore(null);

    /// <summary>Replies to <see cref="LastSender"/> with the test actor as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, TestActor);

    /// <summary>Sends the last message received on to <paramref name="actor"/>, keeping its sender.</summary>
    public void Forward(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Tell(_last.Message ?? throw new InvalidOperationException("No message has been received yet."), LastSender);
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="actor"/> with the test actor as sender.</summary>
    public void Send(IActorRef actor, object message)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Tell(message, TestActor);
    }

    // ------------------------------------------------------------------ receiving

    /// <summary>The next message within <paramref name="timeout"/>, or null if none came.</summary>
    public async Task<object?> ReceiveOneAsync(TimeSpan? timeout = null)
    {
        var envelope = await TryReceiveAsync(RemainingOrDilated(timeout)).ConfigureAwait(false);
        return envelope?.Message;
    }

    private async Task<Envelope?> TryReceiveAsync(TimeSpan timeout)
    {
        _lastWasNoMsg = false;
        if (await NextAsync(timeout, take: true).ConfigureAwait(false) is not { } envelope)
        {
            return null;
        }

        _last = envelope;
        return envelope;
    }

    /// <summary>The next message within <paramref name="timeout"/>, taken off the queue or (<paramref name="take"/> false) left on it.</summary>
    private async Task<Envelope?> NextAsync(TimeSpan timeout, bool take)
    {
        var reader = _testActor.Reader;
        if (TryNext(reader, take, out var envelope))
        {
            return envelope;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.WaitToReadAsync(cts.Token).ConfigureAwait(false))
            {
                if (TryNext(reader, take, out envelope))
                {
                    return envelope;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    private static bool TryNext(System.Threading.Channels.ChannelReader<Envelope> reader, bool take, out Envelope envelope) =>
        take ? reader.TryRead(out envelope) : reader.TryPeek(out envelope);

    private async Task<Envelope> ReceiveOrFailAsync(TimeSpan timeout, string what, string? hint)
    {
        return await TryReceiveAsync(timeout).ConfigureAwait(false)
            ?? throw Fail($"Timeout ({timeout.TotalMilliseconds:0} ms) while waiting for {what}{Hint(hint)}");
    }

    private static string Hint(string? hint) => hint is null ? "" : $" ({hint})";

    private static XunitException Fail(string message) => new(message);

    /// <summary>Expects a message of type <typeparamref name="T"/> next and returns it.</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, string? hint = null)
    {
        var envelope = await ReceiveOrFailAsync(RemainingOrDilated(timeout), $"a message of type {typeof(T).Name}", hint).ConfigureAwait(false);
        return envelope.Message is T typed
            ? typed
            : throw Fail($"Expected a message of type {typeof(T).Name} but got {Describe(envelope.Message)}{Hint(hint)}");
    }

    /// <summary>Expects a message equal to <paramref name="expected"/> next.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var envelope = await ReceiveOrFailAsync(RemainingOrDilated(timeout), $"message {Describe(expected)}", hint).ConfigureAwait(false);
        return envelope.Message is T typed && EqualityComparer<T>.Default.Equals(typed, expected)
            ? typed
            : throw Fail($"Expected {Describe(expected)} but got {Describe(envelope.Message)}{Hint(hint)}");
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> that satisfies <paramref name="isMessage"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var message = await ExpectMsgAsync<T>(timeout, hint).ConfigureAwait(false);
        return isMessage(message) ? message : throw Fail($"Message {Describe(message)} did not match the predicate{Hint(hint)}");
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> and runs assertions on it.</summary>
    public async Task<T> ExpectMsgAsync<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(assert);
        var message = await ExpectMsgAsync<T>(timeout, hint).ConfigureAwait(false);
        assert(message);
        return message;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> and runs assertions on it and its sender.</summary>
    public async Task<T> ExpectMsgAsync<T>(Action<T, IActorRef> assert, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(assert);
        var message = await ExpectMsgAsync<T>(timeout, hint).ConfigureAwait(false);
        assert(message, LastSender);
        return message;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> sent by <paramref name="sender"/>.</summary>
    public async Task<T> ExpectMsgFromAsync<T>(IActorRef sender, TimeSpan? timeout = null, string? hint = null)
    {
        var message = await ExpectMsgAsync<T>(timeout, hint).ConfigureAwait(false);
        return ReferenceEquals(LastSender, sender.AsInternal())
            ? message
            : throw Fail($"Expected {Describe(message)} from {sender} but it came from {LastSender}{Hint(hint)}");
    }

    /// <summary>Waits the whole <paramref name="duration"/> (default <c>expect-no-message-default</c>) and fails on any message.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan? duration = null)
    {
        var wait = duration is { } d ? Dilated(d) : _deadline is not null ? RemainingOrDefault : Dilated(TestKitSettings.ExpectNoMessageDefault);
        if (await TryReceiveAsync(wait).ConfigureAwait(false) is { } envelope)
        {
            throw Fail($"Expected no message within {wait.TotalMilliseconds:0} ms but got {Describe(envelope.Message)} from {envelope.Sender}");
        }

        _lastWasNoMsg = true;
    }

    /// <summary>Expects exactly these messages (as a multiset), in any order.</summary>
    public Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(params T[] messages) => ExpectMsgAllOfAsync((IEnumerable<T>)messages, (TimeSpan?)null);

    /// <summary>Expects exactly these messages (as a multiset), in any order, all within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(IEnumerable<T> messages, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var missing = messages.ToList();
        var received = new List<T>();
        var end = Now + RemainingOrDilated(timeout);
        while (missing.Count > 0)
        {
            var envelope = await TryReceiveAsync(end - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout while waiting for {string.Join(", ", missing.Select(m => Describe(m)))}; received {received.Count} of {received.Count + missing.Count}");
            var index = envelope.Message is T typed ? missing.FindIndex(m => EqualityComparer<T>.Default.Equals(m, typed)) : -1;
            if (index < 0)
            {
                throw Fail($"Unexpected message {Describe(envelope.Message)} while waiting for {string.Join(", ", missing.Select(m => Describe(m)))}");
            }

            received.Add(missing[index]);
            missing.RemoveAt(index);
        }

        return received;
    }

    /// <summary>Expects the next message to equal one of <paramref name="messages"/>, and returns it.</summary>
    public Task<T> ExpectMsgAnyOfAsync<T>(params T[] messages) => ExpectMsgAnyOfAsync((IEnumerable<T>)messages, (TimeSpan?)null);

    /// <summary>Expects the next message, within <paramref name="timeout"/>, to equal one of <paramref name="messages"/>, and returns it.</summary>
    public async Task<T> ExpectMsgAnyOfAsync<T>(IEnumerable<T> messages, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var candidates = messages.ToList();
        var described = string.Join(", ", candidates.Select(m => Describe(m)));
        var envelope = await ReceiveOrFailAsync(RemainingOrDilated(timeout), $"one of {described}", null).ConfigureAwait(false);
        return envelope.Message is T typed && candidates.Contains(typed)
            ? typed
            : throw Fail($"Expected one of {described} but got {Describe(envelope.Message)}");
    }

    /// <summary>
    /// Receives messages while <paramref name="filter"/> maps them to non-null, at most <paramref name="msgs"/>, until
    /// <paramref name="max"/> (dilated) has passed or no message came for <paramref name="idle"/>; returns what the filter
    /// made of them. As in Akka.NET, running out of time is not a failure, and the message that made the filter return
    /// null stays queued for the next Expect.
    /// </summary>
    public Task<IReadOnlyList<T>> ReceiveWhileAsync<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ReceiveWhileCoreAsync(message => filter(message) is { } mapped ? (WhileStep.Take, mapped) : (WhileStep.Stop, null), max, idle, msgs);
    }

    /// <summary>
    /// Receives messages of type <typeparamref name="T"/> while <paramref name="shouldContinue"/> holds, as
    /// <see cref="ReceiveWhileAsync{T}(Func{object, T}, TimeSpan?, TimeSpan?, int)"/>; messages of other types are
    /// skipped, or end the receiving when <paramref name="shouldIgnoreOtherMessageTypes"/> is false.
    /// </summary>
    public Task<IReadOnlyList<T>> ReceiveWhileAsync<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, bool shouldIgnoreOtherMessageTypes = true)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(shouldContinue);
        return ReceiveWhileCoreAsync(
            message => message switch
            {
                T typed => shouldContinue(typed) ? (WhileStep.Take, typed) : (WhileStep.Stop, null),
                _ => (shouldIgnoreOtherMessageTypes ? WhileStep.Skip : WhileStep.Stop, null),
            },
            max,
            idle,
            msgs);
    }

    private enum WhileStep
    {
        Take,
        Skip,
        Stop,
    }

    private async Task<IReadOnlyList<T>> ReceiveWhileCoreAsync<T>(Func<object, (WhileStep Step, T? Item)> decide, TimeSpan? max, TimeSpan? idle, int msgs)
        where T : class
    {
        var end = Now + RemainingOrDilated(max);
        var idleLimit = idle is { } i ? Dilated(i) : TimeSpan.MaxValue;
        var accepted = new List<T>();
        while (accepted.Count < msgs)
        {
            var remaining = end - Now;
            // Looked at first and taken only when accepted or skipped, so the message that stops it stays queued.
            if (await NextAsync(remaining < idleLimit ? remaining : idleLimit, take: false).ConfigureAwait(false) is not { } envelope)
            {
                break;
            }

            var (step, item) = decide(envelope.Message);
            if (step == WhileStep.Stop)
            {
                break;
            }

            await TryReceiveAsync(TimeSpan.Zero).ConfigureAwait(false);
            if (step == WhileStep.Take)
            {
                accepted.Add(item!);
            }
        }

        _lastWasNoMsg = true;
        return accepted;
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="actor"/>, which must be watched with <see cref="Watch"/>.</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null)
    {
        var target = actor.AsInternal();
        return ExpectMsgAsync<Terminated>(t => ReferenceEquals(t.ActorRef, target), timeout, $"Terminated of {actor}");
    }

    /// <summary>Receives exactly <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var end = Now + RemainingOrDilated(timeout);
        var result = new List<object>(count);
        while (result.Count < count)
        {
            var envelope = await TryReceiveAsync(end - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout while receiving {count} messages; got {result.Count}");
            result.Add(envelope.Message);
        }

        return result;
    }

    /// <summary>Skips messages until one satisfies <paramref name="isMessage"/>, and returns it.</summary>
    public async Task<object> FishForMessageAsync(Predicate<object> isMessage, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var end = Now + RemainingOrDilated(timeout);
        while (true)
        {
            var envelope = await TryReceiveAsync(end - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout while fishing for a message{Hint(hint)}");
            if (isMessage(envelope.Message))
            {
                return envelope.Message;
            }
        }
    }

    /// <summary>Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isMessage"/>.</summary>
    public async Task<T> FishForMessageAsync<T>(Predicate<T>? isMessage = null, TimeSpan? timeout = null, string? hint = null) =>
        (T)await FishForMessageAsync(m => m is T t && (isMessage is null || isMessage(t)), timeout, hint).ConfigureAwait(false);

    // ------------------------------------------------------------------ timing

    /// <summary>Runs <paramref name="action"/>, which must finish within <paramref name="max"/> (dilated); Expect defaults inside use the time left.</summary>
    public Task WithinAsync(TimeSpan max, Func<Task> action) => WithinAsync(TimeSpan.Zero, max, action);

    /// <summary>Runs <paramref name="action"/>, which must take at least <paramref name="min"/> and at most <paramref name="max"/> (dilated).</summary>
    public Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return WithinAsync(min, max, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Like <see cref="WithinAsync(TimeSpan, Func{Task})"/>, returning the block's result.</summary>
    public Task<T> WithinAsync<T>(TimeSpan max, Func<Task<T>> function) => WithinAsync(TimeSpan.Zero, max, function);

    /// <summary>
    /// Runs <paramref name="function"/>, which must take at least <paramref name="min"/> and at most
    /// <paramref name="max"/> (dilated), and returns its result. Nested in another block, the limit is
    /// also the time the outer block has left. As in Akka.NET, a block whose last wait was
    /// <c>ExpectNoMsgAsync</c> is not failed for overrunning: that wait uses up all the time left.
    /// </summary>
    public async Task<T> WithinAsync<T>(TimeSpan min, TimeSpan max, Func<Task<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var start = Now;
        var outer = _deadline;
        var left = outer is { } o ? o - start : (TimeSpan?)null;
        if (left is { } l && l < min)
        {
            throw Fail($"Within: the minimum {min.TotalMilliseconds:0} ms is not possible, only {l.TotalMilliseconds:0} ms are left");
        }

        var limit = left is { } rest && rest < Dilated(max) ? rest : Dilated(max);
        _deadline = start + limit;
        _lastWasNoMsg = false;
        T result;
        try
        {
            result = await function().ConfigureAwait(false);
        }
        finally
        {
            _deadline = outer;
        }

        var elapsed = Now - start;
        if (elapsed < min)
        {
            throw Fail($"Within: the block took {elapsed.TotalMilliseconds:0} ms, less than the minimum {min.TotalMilliseconds:0} ms");
        }

        if (!_lastWasNoMsg && elapsed > limit)
        {
            throw Fail($"Within: the block took {elapsed.TotalMilliseconds:0} ms, more than the maximum {limit.TotalMilliseconds:0} ms");
        }

        return result;
    }

    /// <summary>Retries <paramref name="assertion"/> every <paramref name="interval"/> (default 100 ms) until it stops throwing or <paramref name="duration"/> passes.</summary>
    public Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval);
    }

    /// <summary>Like <see cref="AwaitAssertAsync(Action, TimeSpan?, TimeSpan?)"/> for async assertions.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var end = Now + (duration is { } d ? Dilated(d) : _deadline is not null ? RemainingOrDefault : Dilated(TestKitSettings.DefaultTimeout));
        var pause = interval ?? TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception) when (Now + pause < end)
            {
                // Poll interval of a retrying assertion, not synchronisation.
                await Task.Delay(pause).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it is true; fails after <paramref name="max"/>. Polls every max/10 by default.</summary>
    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = max is { } m ? Dilated(m) : _deadline is not null ? RemainingOrDefault : Dilated(TestKitSettings.DefaultTimeout);
        var end = Now + limit;
        var pause = interval ?? TimeSpan.FromTicks(Math.Max(limit.Ticks / 10, TimeSpan.TicksPerMillisecond));
        while (!condition())
        {
            if (Now >= end)
            {
                throw Fail($"Condition not met within {limit.TotalMilliseconds:0} ms{Hint(message)}");
            }

            await Task.Delay(pause).ConfigureAwait(false);
        }
    }

    private static string Describe(object? message) => message switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => $"{message} ({message.GetType().Name})",
    };
}
