namespace SecureActors.Actors.Actor;

/// <summary>
/// An actor whose behaviours are lists of typed handlers, registered with <c>Receive&lt;T&gt;</c>
/// in the constructor (the initial behaviour) or inside <see cref="Become(Action)"/>. Handlers are
/// tried in the order they were registered: the first whose type and predicate match handles the
/// message, except that a <see cref="Receive{T}(Func{T, bool})"/> handler may decline it by
/// returning false, which passes it on to the next one. None handling it means
/// <see cref="ActorBase.Unhandled"/>.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly MessageHandlers _initial = new();
    private MessageHandlers? _configuring;

    /// <summary>Opens the initial behaviour for <c>Receive</c> registrations.</summary>
    protected ReceiveActor() => _configuring = _initial;

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        _configuring = null;
        return _initial.TryHandle(message);
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Configuring.Add(new MessageHandlers.Typed<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>
    /// Offers messages of type <typeparamref name="T"/> to <paramref name="handler"/>, which returns
    /// true when it handled the message. False passes the message on to the handlers registered
    /// after this one in the same behaviour, and to <see cref="ActorBase.Unhandled"/> if none takes
    /// it; a <see cref="Become(Action)"/> made before returning false affects only later messages.
    /// </summary>
    /// <remarks>
    /// C# binds a lambda whose body is a <see cref="bool"/> expression to this overload, not to
    /// <see cref="Receive{T}(Action{T}, Predicate{T})"/>: <c>Receive&lt;Item&gt;(i =&gt; _seen.Add(i))</c>
    /// leaves a repeated item unhandled. Give the lambda a block body,
    /// <c>i =&gt; { _seen.Add(i); }</c>, to handle every message whatever the result.
    /// </remarks>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Configuring.Add(new MessageHandlers.Declinable<T>(handler));
    }

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: no other user message is
    /// handled until the task completes; continuations run as this actor (Self and Sender intact).
    /// A faulted task is a failure of the actor.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Configuring.Add(new MessageHandlers.TypedAsync<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>, asynchronously (as <see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T})"/>).</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    /// <summary>Handles any message not matched by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Handles any message not matched by an earlier handler, asynchronously.</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the behaviour with the handlers <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes a behaviour built by <paramref name="configure"/>; <see cref="UnbecomeStacked"/> pops it.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/>.</summary>
    protected static void UnbecomeStacked() => Context.UnbecomeStacked();

    private Receive Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var handlers = new MessageHandlers();
        var previous = _configuring;
        _configuring = handlers;
        try
        {
            configure();
        }
        finally
        {
            _configuring = previous;
        }

        return handlers.TryHandle;
    }

    private MessageHandlers Configuring =>
        _configuring ?? throw new InvalidOperationException("Receive can only be called in the constructor or inside Become.");
}
