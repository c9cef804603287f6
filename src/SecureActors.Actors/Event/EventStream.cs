using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Event;

/// <summary>
/// The system-wide publish/subscribe bus: dead letters, unhandled and dropped messages, and any
/// event an application publishes. A subscriber gets every event assignable to its channel type.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private volatile Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/> (and subtypes); false if already subscribed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            if (_subscriptions.Any(s => ReferenceEquals(s.Subscriber, subscriber) && s.Channel == channel))
            {
                return false;
            }

            _subscriptions = [.. _subscriptions, new Subscription(subscriber, channel)];
            return true;
        }
    }

    /// <summary>Removes one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_lock)
        {
            var before = _subscriptions.Length;
            _subscriptions = [.. _subscriptions.Where(s => !(ReferenceEquals(s.Subscriber, subscriber) && s.Channel == channel))];
            return _subscriptions.Length != before;
        }
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s.Subscriber, subscriber))];
        }
    }

    /// <summary>Delivers <paramref name="event"/> to every matching subscriber, with no sender.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var stale = false;
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Subscriber is InternalActorRef { IsTerminated: true })
            {
                stale = true;
                continue;
            }

            if (subscription.Channel.IsInstanceOfType(@event))
            {
                subscription.Subscriber.Tell(@event, ActorRefs.NoSender);
            }
        }

        if (stale)
        {
            lock (_lock)
            {
                _subscriptions = [.. _subscriptions.Where(s => s.Subscriber is not InternalActorRef { IsTerminated: true })];
            }
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel);
}
