namespace SecureActors.Actors.Actor;

/// <summary>
/// One behaviour of a <see cref="ReceiveActor"/>: typed handlers tried in the order they were
/// registered. Each handler is a small generic object, so matching allocates nothing. Every actor
/// instance holds its behaviours for life (a server holds thousands of sessions), so a finished
/// behaviour keeps only its array of handlers.
/// </summary>
internal sealed class MessageHandlers
{
    private List<Handler>? _building = [];
    private Handler[] _handlers = [];

    public void Add(Handler handler)
    {
        _building ??= [.. _handlers];
        _building.Add(handler);
    }

    public bool TryHandle(object message)
    {
        if (_building is not null)
        {
            _handlers = [.. _building];
            _building = null;
        }

        foreach (var handler in _handlers)
        {
            if (handler.TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }

    internal abstract class Handler
    {
        public abstract bool TryHandle(object message);
    }

    internal sealed class Typed<T>(Action<T> handler, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                handler(typed);
                return true;
            }

            return false;
        }
    }

    // Receive<T>(Func<T, bool>): the handler itself says, by its result, whether it took the message.
    internal sealed class Declinable<T>(Func<T, bool> handler) : Handler
    {
        public override bool TryHandle(object message) => message is T typed && handler(typed);
    }

    internal sealed class TypedAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                ActorCell.Current!.RunAsync(() => handler(typed));
                return true;
            }

            return false;
        }
    }
}
